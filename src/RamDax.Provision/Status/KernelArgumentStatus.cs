using RamDax.Provision.State;
using System.Collections.Immutable;

namespace RamDax.Provision.Status;

/// <summary>The kernel arguments: wanted, live, missing, and where they are written.</summary>
public sealed record KernelArgumentStatus(
    ImmutableArray<string> Wanted,
    ImmutableArray<string> Running,
    ImmutableArray<string> Missing,
    ImmutableArray<string> StaleRunning,
    string Backend,
    ImmutableArray<string> Files,
    RebootState Reboot,
    string? Error);
