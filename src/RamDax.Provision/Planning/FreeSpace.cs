using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// The aligned System RAM a carve-out may still take: at or above the minimum address, below the
/// kernel's memory limit, clear of foreign memmap ranges, and cut where one NUMA node's memory
/// blocks end and another's begin (a block both list is left out), so that no carve-out crosses a
/// node boundary.
/// </summary>
internal sealed class FreeSpace
{
    private readonly CarveoutSettings _settings;
    private readonly List<(MemoryRange Range, int? Node)> _segments;
    private readonly List<MemoryRange> _taken;

    public FreeSpace(FirmwareMemoryMap map, NumaTopology numa, ForeignMemory foreign, CarveoutSettings settings)
    {
        _settings = settings;
        _taken = [];
        var segments = new List<(MemoryRange, int?)>();
        var limit = foreign.Limit ?? ulong.MaxValue;
        // A foreign persistent range that touched ours would merge with it into one region: keep a byte clear.
        // A memory block two nodes share holds a node boundary: a carve-out there would cross it.
        var avoid = foreign.Ranges
            .Select(f => f.Kind == ForeignKind.Persistent
                ? new MemoryRange(f.Range.Start == 0 ? 0 : f.Range.Start - 1, f.Range.End == ulong.MaxValue ? ulong.MaxValue : f.Range.End + 1)
                : f.Range)
            .Concat(numa.Shared)
            .ToList();
        foreach (var ram in map.SystemRam)
        {
            var clipped = new MemoryRange(Math.Max(ram.Start, settings.MinAddress), Math.Min(ram.End, limit));
            if (clipped.End <= clipped.Start)
            {
                continue;
            }

            foreach (var part in MemoryRange.Subtract(clipped, avoid))
            {
                foreach (var (piece, node) in SplitByNode(part, numa))
                {
                    var start = ByteSize.AlignUp(piece.Start, settings.Alignment);
                    var end = ByteSize.AlignDown(piece.End, settings.Alignment);
                    if (start is not null && end > start.Value)
                    {
                        segments.Add((new MemoryRange(start.Value, end), node));
                    }
                }
            }
        }

        _segments = settings.Order == PlacementOrder.HighestFirst
            ? [.. segments.OrderByDescending(s => s.Item1.Start)]
            : [.. segments.OrderBy(s => s.Item1.Start)];
    }

    private FreeSpace(FreeSpace other)
    {
        _settings = other._settings;
        _segments = [.. other._segments];
        _taken = [.. other._taken];
    }

    /// <summary>The NUMA nodes that have free space, lowest first.</summary>
    public List<int> Nodes => [.. _segments.Select(s => s.Node).OfType<int>().Distinct().Order()];

    /// <summary>The node of the free memory that holds <paramref name="range"/>.</summary>
    public int? NodeOf(MemoryRange range) => _segments.FirstOrDefault(s => s.Range.Contains(range)).Node;

    public FreeSpace Clone() => new(this);

    /// <summary>
    /// The most that <paramref name="maxRanges"/> ranges can hold (on <paramref name="node"/>, or
    /// anywhere when null), filling the largest first.
    /// </summary>
    public ulong Capacity(int maxRanges, int? node = null)
    {
        var copy = Clone();
        var sum = 0UL;
        for (var n = 0; n < maxRanges; n++)
        {
            var best = copy.Largest(node);
            if (best < 0)
            {
                break;
            }

            var room = copy.Room(best);
            copy.Carve(best, room);
            sum += room;
        }

        return sum;
    }

    /// <summary>How many ranges, filled largest first, hold <paramref name="size"/>; null when all of them do not.</summary>
    public int? RangesFor(ulong size, int? node = null)
    {
        var copy = Clone();
        var sum = 0UL;
        for (var n = 1; ; n++)
        {
            var best = copy.Largest(node);
            if (best < 0)
            {
                return null;
            }

            var room = copy.Room(best);
            copy.Carve(best, room);
            sum += room;
            if (sum >= size)
            {
                return n;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="size"/> bytes in pieces of at most <paramref name="cap"/>: in one range
    /// (in placement order) when one can hold it, else the largest free ranges first, so the fewest
    /// ranges are used. Null when <paramref name="maxRanges"/> ranges cannot hold it.
    /// </summary>
    public List<MemoryRange>? Take(ulong size, int? node, int maxRanges, ulong cap)
    {
        if (cap >= size && maxRanges >= 1)
        {
            for (var i = 0; i < _segments.Count; i++)
            {
                if ((node is null || _segments[i].Node == node) && Room(i) >= size)
                {
                    return [Carve(i, size)];
                }
            }
        }

        var taken = new List<MemoryRange>();
        var remaining = size;
        while (remaining > 0 && taken.Count < maxRanges)
        {
            var best = Largest(node);
            if (best < 0)
            {
                break;
            }

            taken.Add(Carve(best, Math.Min(Math.Min(Room(best), remaining), cap)));
            remaining -= taken[^1].Size;
        }

        return remaining == 0 ? taken : null;
    }

    /// <summary>Takes one range of exactly <paramref name="size"/> bytes, in placement order.</summary>
    public MemoryRange? TakeWhole(ulong size)
    {
        for (var i = 0; i < _segments.Count; i++)
        {
            if (Room(i) >= size)
            {
                return Carve(i, size);
            }
        }

        return null;
    }

    /// <summary>
    /// The free segment (one System RAM range on one node, aligned) that holds
    /// <paramref name="range"/>, narrowed to keep one alignment step from every range of
    /// <paramref name="others"/>; null when no segment holds it.
    /// </summary>
    public MemoryRange? Around(MemoryRange range, IEnumerable<MemoryRange> others)
    {
        var segment = _segments.FirstOrDefault(s => s.Range.Contains(range)).Range;
        if (segment.End <= segment.Start)
        {
            return null;
        }

        var (start, end) = (segment.Start, segment.End);
        // Every other range counts, in this segment or touching it from the next one.
        foreach (var o in others.Where(o => !o.Overlaps(range)))
        {
            if (o.End <= range.Start)
            {
                start = Math.Max(start, o.End + _settings.Alignment);
            }
            else
            {
                end = Math.Min(end, o.Start >= _settings.Alignment ? o.Start - _settings.Alignment : 0);
            }
        }

        return new MemoryRange(start, end);
    }

    private int Largest(int? node)
    {
        var best = -1;
        var bestRoom = 0UL;
        for (var i = 0; i < _segments.Count; i++)
        {
            if (node is not null && _segments[i].Node != node)
            {
                continue;
            }

            var room = Room(i);
            if (room > bestRoom)
            {
                (best, bestRoom) = (i, room);
            }
        }

        return best;
    }

    // Room in segment i, less one alignment step at each end that touches something already
    // carved: adjacent memmap ranges would merge into one region.
    private ulong Room(int i)
    {
        var (start, end) = Usable(i);
        return end > start ? end - start : 0;
    }

    private (ulong Start, ulong End) Usable(int i)
    {
        var range = _segments[i].Range;
        var start = range.Start;
        var end = range.End;
        if (_taken.Any(t => t.End == start))
        {
            start += _settings.Alignment;
        }

        if (_taken.Any(t => t.Start == end))
        {
            end = end >= _settings.Alignment ? end - _settings.Alignment : 0;
        }

        return (start, end);
    }

    private MemoryRange Carve(int i, ulong size)
    {
        var (start, end) = Usable(i);
        var (range, node) = _segments[i];
        MemoryRange piece;
        if (_settings.Order == PlacementOrder.HighestFirst)
        {
            piece = new MemoryRange(end - size, end);
            _segments[i] = (range with { End = piece.Start }, node);
        }
        else
        {
            piece = new MemoryRange(start, start + size);
            _segments[i] = (range with { Start = piece.End }, node);
        }

        _taken.Add(piece);
        return piece;
    }

    // The pieces of one firmware range by node. Memory no node lists (such as a live carve-out,
    // which has no memory blocks) belongs to the node below it in the same range, or above it,
    // so a plan does not change once its own carve-out is live.
    private static List<(MemoryRange Range, int? Node)> SplitByNode(MemoryRange range, NumaTopology numa)
    {
        var owned = numa.Nodes
            .SelectMany(n => n.Value.Where(r => r.Overlaps(range)).Select(r => (Range: new MemoryRange(Math.Max(r.Start, range.Start), Math.Min(r.End, range.End)), Node: n.Key)))
            .OrderBy(p => p.Range.Start)
            .ToList();
        if (owned.Count == 0)
        {
            return [(range, null)];
        }

        var pieces = new List<(MemoryRange Range, int? Node)>();
        var at = range.Start;
        foreach (var (part, node) in owned)
        {
            var start = Math.Max(part.Start, at);
            if (start >= part.End)
            {
                continue;
            }

            if (pieces.Count > 0 && pieces[^1].Node == node)
            {
                pieces[^1] = (pieces[^1].Range with { End = part.End }, node);
            }
            else if (pieces.Count > 0)
            {
                // A gap between two nodes goes to the lower one.
                pieces[^1] = (pieces[^1].Range with { End = start }, pieces[^1].Node);
                pieces.Add((new MemoryRange(start, part.End), node));
            }
            else
            {
                pieces.Add((new MemoryRange(range.Start, part.End), node));
            }

            at = part.End;
        }

        pieces[^1] = (pieces[^1].Range with { End = range.End }, pieces[^1].Node);
        return pieces;
    }
}
