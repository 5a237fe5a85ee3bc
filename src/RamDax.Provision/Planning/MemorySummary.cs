using System.Text.Json.Serialization;

namespace RamDax.Provision.Planning;

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
