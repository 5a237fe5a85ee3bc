using System.Text.Json.Serialization;

namespace RamDax.Provision.Planning;

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
