using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// Places carve-outs in the firmware memory map. Every carve-out lies inside one System RAM
/// range, starts and ends on the alignment, never below the minimum address, never overlaps or
/// touches another (adjacent ranges of one type would be merged by the kernel into one region),
/// and leaves at least min_os_memory of System RAM to the OS.
/// </summary>
public static class CarveoutPlanner
{
    /// <summary>Places <paramref name="total"/> bytes in as few ranges as possible (the ramdax layout).</summary>
    public static ImmutableArray<PlannedCarveout> PlaceTotal(FirmwareMemoryMap map, NumaTopology numa, CarveoutSettings settings, ulong total, ICollection<string> warnings)
    {
        CheckOsMemory(map, settings, total);
        var free = new FreeSpace(map, numa, settings);
        var placed = new List<MemoryRange>();
        if (settings.SpreadAcrossNumaNodes)
        {
            var nodes = free.Nodes;
            if (nodes.Count < 2)
            {
                warnings.Add(nodes.Count == 0
                    ? "placement.numa is 'spread' but the NUMA topology is unknown; placed without spreading"
                    : "placement.numa is 'spread' but the usable memory is on one NUMA node; placed without spreading");
                placed.AddRange(free.Take(total, node: null, settings.MaxRanges));
            }
            else
            {
                var steps = total / settings.Alignment;
                for (var i = 0; i < nodes.Count; i++)
                {
                    // Whole alignment steps, shared out as evenly as they go; the first nodes take the odd steps.
                    var share = ((steps / (ulong)nodes.Count) + ((ulong)i < steps % (ulong)nodes.Count ? 1UL : 0UL)) * settings.Alignment;
                    if (share > 0)
                    {
                        placed.AddRange(free.Take(share, nodes[i], settings.MaxRanges - placed.Count));
                    }
                }
            }
        }
        else
        {
            placed.AddRange(free.Take(total, node: null, settings.MaxRanges));
        }

        return ToCarveouts(placed, numa, DriverKind.Ramdax);
    }

    /// <summary>Places every piece in a range of its own (the nd_e820 fallback: one namespace per range).</summary>
    public static ImmutableArray<PlannedCarveout> PlacePieces(FirmwareMemoryMap map, NumaTopology numa, CarveoutSettings settings, IReadOnlyList<ulong> pieces)
    {
        var total = pieces.Aggregate(0UL, (sum, p) => checked(sum + p));
        CheckOsMemory(map, settings, total);
        if (pieces.Count > settings.MaxRanges)
        {
            throw new PlanRefusedException(
                $"without ramdax every namespace needs a range of its own: {pieces.Count} namespaces but carveout.max_ranges is {settings.MaxRanges}; "
                + "configure fewer namespaces or raise max_ranges (above 4 adds nokaslr)");
        }

        var free = new FreeSpace(map, numa, settings);
        var placed = pieces.Select(p => free.TakeWhole(p)).ToList();
        return ToCarveouts(placed, numa, DriverKind.NdE820);
    }

    /// <summary>The carve-out size a request asks for on this machine.</summary>
    public static ulong Resolve(FirmwareMemoryMap map, CarveoutSettings settings)
    {
        var systemRam = map.TotalSystemRam;
        switch (settings.Size)
        {
            case SizeRequest.Absolute a:
                return a.Bytes;
            case SizeRequest.Share s:
                var bytes = ByteSize.AlignDown(s.Of(systemRam), settings.Alignment);
                if (bytes == 0)
                {
                    throw new PlanRefusedException(
                        $"carveout.size {s} of {ByteSize.FormatHuman(systemRam)} System RAM is less than one alignment step ({ByteSize.FormatExact(settings.Alignment)}); "
                        + "ask for a larger share or an absolute size");
                }

                return bytes;
            default:
                throw new InvalidOperationException("carveout.size cannot be 'rest'");
        }
    }

    private static void CheckOsMemory(FirmwareMemoryMap map, CarveoutSettings settings, ulong total)
    {
        var systemRam = map.TotalSystemRam;
        var left = total >= systemRam ? 0 : systemRam - total;
        if (total >= systemRam || left < settings.MinOsMemory)
        {
            var shortfall = settings.MinOsMemory - left + (total >= systemRam ? total - systemRam : 0);
            throw new PlanRefusedException(
                $"carving {ByteSize.FormatHuman(total)} of {ByteSize.FormatHuman(systemRam)} System RAM would leave {ByteSize.FormatHuman(left)} to the OS, "
                + $"{ByteSize.FormatHuman(shortfall)} less than carveout.min_os_memory ({ByteSize.FormatHuman(settings.MinOsMemory)}); "
                + "ask for less or lower min_os_memory");
        }
    }

    private static ImmutableArray<PlannedCarveout> ToCarveouts(List<MemoryRange> placed, NumaTopology numa, DriverKind driver) =>
        [.. placed.Select(r => new PlannedCarveout(r.Start, r.Size, numa.NodeOf(r), driver == DriverKind.Ramdax ? NamespaceCapacity.Available(r.Size) : r.Size))];

    /// <summary>The aligned System RAM still free, in placement order.</summary>
    private sealed class FreeSpace
    {
        private readonly CarveoutSettings _settings;
        private readonly List<(MemoryRange Range, int? Node)> _segments;
        private readonly List<MemoryRange> _taken = [];

        public FreeSpace(FirmwareMemoryMap map, NumaTopology numa, CarveoutSettings settings)
        {
            _settings = settings;
            var segments = new List<(MemoryRange, int?)>();
            foreach (var ram in map.SystemRam)
            {
                var start = ByteSize.AlignUp(Math.Max(ram.Start, settings.MinAddress), settings.Alignment);
                var end = ByteSize.AlignDown(ram.End, settings.Alignment);
                if (start is not null && end > start.Value)
                {
                    var range = new MemoryRange(start.Value, end);
                    segments.Add((range, numa.NodeOf(range)));
                }
            }

            _segments = settings.Order == PlacementOrder.HighestFirst
                ? [.. segments.OrderByDescending(s => s.Item1.Start)]
                : [.. segments.OrderBy(s => s.Item1.Start)];
        }

        public List<int> Nodes => [.. _segments.Select(s => s.Node).OfType<int>().Distinct().Order()];

        /// <summary>Takes <paramref name="size"/> bytes: in one range when one can hold it, else spread over several.</summary>
        public List<MemoryRange> Take(ulong size, int? node, int maxRanges)
        {
            var candidates = Enumerable.Range(0, _segments.Count).Where(i => node is null || _segments[i].Node == node).ToList();
            var whole = candidates.FirstOrDefault(i => Room(i) >= size, -1);
            if (whole >= 0)
            {
                return [Carve(whole, size)];
            }

            var taken = new List<MemoryRange>();
            var remaining = size;
            foreach (var i in candidates)
            {
                if (remaining == 0 || taken.Count == maxRanges)
                {
                    break;
                }

                var piece = Math.Min(remaining, Room(i));
                if (piece > 0)
                {
                    taken.Add(Carve(i, piece));
                    remaining -= piece;
                }
            }

            if (remaining > 0)
            {
                var where = node is null ? "" : $" on NUMA node {node}";
                var offered = size - remaining;
                throw new PlanRefusedException(
                    $"{ByteSize.FormatHuman(size)} does not fit{where}: the aligned System RAM at or above {ByteSize.FormatExact(_settings.MinAddress)} "
                    + $"offers {ByteSize.FormatHuman(offered)} in at most {maxRanges} range{(maxRanges == 1 ? "" : "s")}, "
                    + $"{ByteSize.FormatHuman(remaining)} short; ask for less, lower placement.min_address, or raise max_ranges");
            }

            return taken;
        }

        public MemoryRange TakeWhole(ulong size)
        {
            for (var i = 0; i < _segments.Count; i++)
            {
                if (Room(i) >= size)
                {
                    return Carve(i, size);
                }
            }

            throw new PlanRefusedException(
                $"no aligned System RAM range at or above {ByteSize.FormatExact(_settings.MinAddress)} has {ByteSize.FormatHuman(size)} left for a range of its own; "
                + "ask for smaller namespaces or fewer of them");
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
    }
}
