using System.Collections.Immutable;
using System.Text.Json.Serialization;
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

/// <summary>The driver that turns the carve-outs into regions.</summary>
public enum DriverKind
{
    /// <summary>Linux 6.19+: one labelled DIMM per range, split into namespaces with ndctl.</summary>
    [JsonStringEnumMemberName("ramdax")]
    Ramdax,

    /// <summary>Older kernels: one label-less region per range, so one range per namespace.</summary>
    [JsonStringEnumMemberName("nd_e820")]
    NdE820,
}

/// <summary>One <c>memmap=SIZE!START</c> range.</summary>
public sealed record PlannedCarveout(ulong Start, ulong Size, int? NumaNode, ulong Available)
{
    public ulong End => Start + Size;

    /// <summary>The <c>SIZE!START</c> spelling for <c>memmap=</c>.</summary>
    public string MemmapSpec => $"{Configuration.ByteSize.FormatExact(Size)}!{Configuration.ByteSize.FormatExact(Start)}";
}

/// <summary>The kernel arguments wanted, and how they differ from the running command line.</summary>
public sealed record KernelArgumentChanges(
    ImmutableArray<string> Wanted,
    ImmutableArray<string> Add,
    ImmutableArray<string> Remove)
{
    /// <summary>Whether the running kernel already has everything wanted and nothing stale.</summary>
    public bool Satisfied => Add.IsEmpty && Remove.IsEmpty;
}

/// <summary>
/// One namespace: <see cref="Size"/> is what <c>ndctl create-namespace -s</c> receives (taken from
/// the region); <see cref="UsableSize"/> is what remains after the info block and the page
/// metadata. <see cref="Offset"/> is where it starts inside its carve-out.
/// </summary>
public sealed record PlannedNamespace(
    string Name,
    NamespaceMode Mode,
    ulong Size,
    ulong UsableSize,
    ulong Alignment,
    int Carveout,
    ulong Offset,
    FilesystemSettings? Filesystem,
    MountSettings? Mount,
    DeviceAccessSettings? Device,
    bool Wipe,
    bool Reconfigure);

/// <summary>How the machine's System RAM is shared between the OS and the carve-outs.</summary>
public sealed record MemorySummary(ulong SystemRam, ulong Carved, ulong LeftForOs);
