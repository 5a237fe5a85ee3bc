using System.Collections.Immutable;
using System.Globalization;

namespace RamDax.Provision.Machine;

/// <summary>
/// Which physical memory belongs to which NUMA node, from the memory blocks listed under
/// <c>/sys/devices/system/node/nodeN/memoryM</c> (block M covers M × block_size_bytes onward).
/// </summary>
public sealed record NumaTopology(ImmutableDictionary<int, ImmutableArray<MemoryRange>> Nodes)
{
    /// <summary>
    /// Memory blocks listed under more than one node: the kernel links a block under every node
    /// whose memory it holds, so a node boundary lies inside each. They are in no node's ranges,
    /// and no carve-out takes them (one would cross the boundary).
    /// </summary>
    public ImmutableArray<MemoryRange> Shared { get; init; } = [];

    public const string NodeDirectory = "/sys/devices/system/node";
    public const string BlockSizePath = "/sys/devices/system/memory/block_size_bytes";

    public static NumaTopology None { get; } = new(ImmutableDictionary<int, ImmutableArray<MemoryRange>>.Empty);

    /// <summary>The node whose memory holds <paramref name="range"/>; null when unknown or spread.</summary>
    public int? NodeOf(MemoryRange range)
    {
        foreach (var (node, ranges) in Nodes)
        {
            if (ranges.Any(r => r.Overlaps(range)))
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Reads the topology; a kernel without NUMA information gives <see cref="None"/>.</summary>
    public static NumaTopology Read(MachineRoot root)
    {
        if (!root.DirectoryExists(NodeDirectory) || !root.FileExists(BlockSizePath))
        {
            return None;
        }

        var sizeText = root.ReadText(BlockSizePath).Trim();
        if (!ulong.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var blockSize) || blockSize == 0)
        {
            throw new MachineReadException(root.Resolve(BlockSizePath), detail: $"'{sizeText}' is not a hexadecimal block size");
        }

        var blocksOf = new Dictionary<int, List<ulong>>();
        foreach (var name in root.ListNames(NodeDirectory))
        {
            if (!name.StartsWith("node", StringComparison.Ordinal)
                || !int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var node))
            {
                continue;
            }

            blocksOf[node] = [.. root.ListNames($"{NodeDirectory}/{name}")
                .Where(n => n.StartsWith("memory", StringComparison.Ordinal))
                .Select(n => ulong.TryParse(n.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? (ulong?)b : null)
                .OfType<ulong>()
                .Order()];
        }

        var shared = blocksOf.Values.SelectMany(b => b).GroupBy(b => b).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var nodes = ImmutableDictionary.CreateBuilder<int, ImmutableArray<MemoryRange>>();
        foreach (var (node, blocks) in blocksOf)
        {
            nodes[node] = Coalesce([.. blocks.Where(b => !shared.Contains(b))], blockSize);
        }

        var regions = AddPersistentMemoryRegions(root, nodes);
        // A live carve-out's region says its node: the part of a shared block it holds stays its.
        return new NumaTopology(nodes.ToImmutable()) { Shared = [.. Coalesce([.. shared.Order()], blockSize).SelectMany(r => MemoryRange.Subtract(r, regions))] };
    }

    public const string RegionDirectory = "/sys/bus/nd/devices";

    // Memory carved out with memmap= is no System RAM of a node once that boot runs: its memory
    // blocks are gone from /sys/devices/system/node. The NVDIMM region the kernel made of it says
    // which node it belongs to (target_node: the node the memory would have, from the firmware's
    // SRAT; numa_node where the kernel has no target_node), so a plan made while the carve-outs
    // are live sees the same nodes as the plan that made them.
    private static List<MemoryRange> AddPersistentMemoryRegions(MachineRoot root, ImmutableDictionary<int, ImmutableArray<MemoryRange>>.Builder nodes)
    {
        var added = new List<MemoryRange>();
        if (!root.DirectoryExists(RegionDirectory))
        {
            return added;
        }

        foreach (var name in root.ListNames(RegionDirectory).Where(n => n.StartsWith("region", StringComparison.Ordinal)))
        {
            var dir = $"{RegionDirectory}/{name}";
            var resource = root.TryReadText($"{dir}/resource")?.Trim();
            var size = root.TryReadText($"{dir}/size")?.Trim();
            var nodeText = (root.TryReadText($"{dir}/target_node") ?? root.TryReadText($"{dir}/numa_node"))?.Trim();
            if (resource is null || size is null || nodeText is null
                || !resource.StartsWith("0x", StringComparison.Ordinal)
                || !ulong.TryParse(resource.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                || !ulong.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || bytes == 0
                || !int.TryParse(nodeText, NumberStyles.None, CultureInfo.InvariantCulture, out var node)
                || start > ulong.MaxValue - bytes)
            {
                continue;   // not a memory region, or a node the kernel does not know (-1)
            }

            // A memory block the carve-out only partly took is still listed: the region joins it.
            var range = new MemoryRange(start, start + bytes);
            nodes[node] = Merge(nodes.TryGetValue(node, out var known) ? [.. known, range] : [range]);
            added.Add(range);
        }

        return added;
    }

    private static ImmutableArray<MemoryRange> Merge(IEnumerable<MemoryRange> ranges)
    {
        var merged = new List<MemoryRange>();
        foreach (var r in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, r.End) };
            }
            else
            {
                merged.Add(r);
            }
        }

        return [.. merged];
    }

    private static ImmutableArray<MemoryRange> Coalesce(List<ulong> blocks, ulong blockSize)
    {
        var ranges = ImmutableArray.CreateBuilder<MemoryRange>();
        foreach (var block in blocks)
        {
            var range = new MemoryRange(block * blockSize, (block + 1) * blockSize);
            if (ranges.Count > 0 && ranges[^1].End == range.Start)
            {
                ranges[^1] = ranges[^1] with { End = range.End };
            }
            else
            {
                ranges.Add(range);
            }
        }

        return ranges.ToImmutable();
    }
}
