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
[JsonConverter(typeof(SnakeCaseEnumConverter<DriverKind>))]
public enum DriverKind
{
    /// <summary>Linux 6.19+: one labelled DIMM per range, split into namespaces with ndctl.</summary>
    Ramdax,

    /// <summary>Older kernels: one label-less region per range, so one range per namespace.</summary>
    NdE820,
}

/// <summary>
/// One <c>memmap=SIZE!START</c> range. The accounting (<see cref="InNamespaces"/>, <see cref="Overhead"/>,
/// <see cref="Unassigned"/>) is left out of JSON when zero, so a plan recorded before it existed
/// keeps its digest.
/// </summary>
public sealed record PlannedCarveout(ulong Start, ulong Size, int? NumaNode, ulong Available)
{
    public ulong End => Start + Size;

    /// <summary>What the namespaces in it can use (their usable sizes).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong InNamespaces { get; init; }

    /// <summary>What the label area, the 16 MiB rounding and the namespaces' page metadata and alignment take.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Overhead { get; init; }

    /// <summary>What no namespace is given (less than one size step of a <c>rest</c> namespace, or nothing).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Unassigned { get; init; }

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

/// <summary>
/// How the machine's System RAM is shared between the OS and the carve-outs. <see cref="LeftForOs"/>
/// is of what the kernel gives the OS (below a foreign <c>mem=</c> limit, less foreign memmap ranges).
/// </summary>
public sealed record MemorySummary(ulong SystemRam, ulong Carved, ulong LeftForOs)
{
    /// <summary>What the namespaces can use, over every carve-out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong InNamespaces { get; init; }

    /// <summary>Labels, rounding, page metadata and alignment, over every carve-out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Overhead { get; init; }

    /// <summary>Carved but given to no namespace.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Unassigned { get; init; }

    /// <summary>System RAM that foreign memmap ranges or a foreign mem= limit keep from the OS.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Foreign { get; init; }
}
