using System.Collections.Immutable;

namespace RamDax.Provision.Planning;

/// <summary>The kernel arguments wanted, and how they differ from the running command line.</summary>
public sealed record KernelArgumentChanges(
    ImmutableArray<string> Wanted,
    ImmutableArray<string> Add,
    ImmutableArray<string> Remove)
{
    /// <summary>Whether the running kernel already has everything wanted and nothing stale.</summary>
    public bool Satisfied => Add.IsEmpty && Remove.IsEmpty;
}
