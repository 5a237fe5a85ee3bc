using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Planning;

/// <summary>
/// What the machine should look like: the carve-outs, the kernel arguments that create them, and
/// the namespaces inside them. Made by <see cref="Planner"/> from facts and configuration alone;
/// the same inputs always give an equal plan.
/// </summary>
public sealed record Plan(
    DriverKind Driver,
    ImmutableArray<PlannedCarveout> Carveouts,
    KernelArgumentChanges KernelArguments,
    ImmutableArray<PlannedNamespace> Namespaces,
    InstanceSettings? Instance,
    MemorySummary Memory,
    ImmutableArray<string> Warnings)
{
    /// <summary>Whether the plan asks for nothing at all (no carve-out configured).</summary>
    public bool IsEmpty => Carveouts.IsEmpty;
}
