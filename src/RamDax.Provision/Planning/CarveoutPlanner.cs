using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// Places carve-outs in the firmware memory map. Every carve-out lies inside one System RAM
/// range and one NUMA node, starts and ends on the alignment, never below the minimum address or
/// above the kernel's memory limit, never overlaps or touches another or a foreign memmap range
/// (adjacent ranges of one type would be merged by the kernel into one region), and leaves at
/// least min_os_memory of what the kernel gives the OS.
/// </summary>
public static class CarveoutPlanner
{
    /// <summary>
    /// Places <paramref name="total"/> bytes in as few ranges as possible, and in at least
    /// <paramref name="minRanges"/> (the ramdax layout).
    /// </summary>
    public static ImmutableArray<PlannedCarveout> PlaceTotal(MachineMemory memory, CarveoutSettings settings, ulong total, int minRanges, ICollection<string> warnings)
    {
        CheckOsMemory(memory, settings, total);
        var free = memory.Free(settings);
        var cap = minRanges <= 1 ? total : ByteSize.AlignUp((total + (ulong)minRanges - 1) / (ulong)minRanges, settings.Alignment) ?? total;
        cap = Math.Min(cap, total);
        var placed = new List<MemoryRange>();
        if (settings.SpreadAcrossNumaNodes)
        {
            var nodes = free.Nodes;
            if (nodes.Count < 2)
            {
                warnings.Add(nodes.Count == 0
                    ? "placement.numa is 'spread' but the NUMA topology is unknown; placed without spreading"
                    : "placement.numa is 'spread' but the usable memory is on one NUMA node; placed without spreading");
                placed.AddRange(free.Take(total, node: null, settings.MaxRanges, cap) ?? throw Refuse(memory, settings, total, free, null));
            }
            else
            {
                if (nodes.Count > settings.MaxRanges)
                {
                    var kept = NodesWithinMaxRanges(free, settings);
                    warnings.Add($"placement.numa is 'spread' over {nodes.Count} NUMA nodes but carveout.max_ranges is {settings.MaxRanges}: "
                        + $"only nodes {string.Join(", ", kept)} get a share; raise max_ranges to {nodes.Count} for one range on every node");
                    nodes = kept;
                }

                var steps = total / settings.Alignment;
                for (var i = 0; i < nodes.Count; i++)
                {
                    // Whole alignment steps, shared out as evenly as they go; the first nodes take the odd steps.
                    var share = ((steps / (ulong)nodes.Count) + ((ulong)i < steps % (ulong)nodes.Count ? 1UL : 0UL)) * settings.Alignment;
                    if (share > 0)
                    {
                        // Keep one range for each node still to come.
                        var budget = settings.MaxRanges - placed.Count - (nodes.Count - i - 1);
                        placed.AddRange(free.Take(share, nodes[i], budget, share) ?? throw Refuse(memory, settings, share, free, nodes[i]));
                    }
                }
            }
        }
        else
        {
            placed.AddRange(free.Take(total, node: null, settings.MaxRanges, cap) ?? throw Refuse(memory, settings, total, free, null));
        }

        return ToCarveouts(placed, memory.Free(settings), DriverKind.Ramdax);
    }

    /// <summary>
    /// The NUMA nodes <see cref="PlaceTotal"/> spreads <paramref name="total"/> over, lowest
    /// first: every node with free memory (those with the most room when there are more nodes than
    /// <c>max_ranges</c>) that gets at least one alignment step. Refused when the machine shows no
    /// NUMA nodes, because then no namespace can be placed on one.
    /// </summary>
    public static IReadOnlyList<int> SpreadNodes(MachineMemory memory, CarveoutSettings settings, ulong total, string asking)
    {
        var free = memory.Free(settings);
        var nodes = free.Nodes.Count > settings.MaxRanges ? NodesWithinMaxRanges(free, settings) : free.Nodes;
        if (nodes.Count == 0)
        {
            throw new PlanRefusedException(
                $"{asking} asks for one namespace on each NUMA node, but this machine shows no NUMA node with free memory at or above {ByteSize.FormatExact(settings.MinAddress)} "
                + $"(no {NumaTopology.NodeDirectory}/nodeN memory blocks there); give it a numa_node number or none");
        }

        var steps = total / settings.Alignment;
        return [.. nodes.Take((int)Math.Min((ulong)nodes.Count, steps))];
    }

    private static List<int> NodesWithinMaxRanges(FreeSpace free, CarveoutSettings settings) =>
        [.. free.Nodes.OrderByDescending(n => free.Capacity(1, n)).ThenBy(n => n).Take(settings.MaxRanges).Order()];

    /// <summary>Places every piece in a range of its own (the nd_e820 fallback: one namespace per range).</summary>
    public static ImmutableArray<PlannedCarveout> PlacePieces(MachineMemory memory, CarveoutSettings settings, IReadOnlyList<ulong> pieces)
    {
        var total = pieces.Aggregate(0UL, (sum, p) => checked(sum + p));
        CheckOsMemory(memory, settings, total);
        if (pieces.Count > settings.MaxRanges)
        {
            throw new PlanRefusedException(
                $"without ramdax every namespace needs a range of its own: {pieces.Count} namespaces but carveout.max_ranges is {settings.MaxRanges}; "
                + $"configure at most {settings.MaxRanges} namespaces or raise carveout.max_ranges to {pieces.Count}");
        }

        var free = memory.Free(settings);
        var placed = pieces.Select(p => free.TakeWhole(p) ?? throw new PlanRefusedException(
            $"no aligned System RAM range at or above {ByteSize.FormatExact(settings.MinAddress)} has {ByteSize.FormatHuman(p)} left for a range of its own; "
            + "ask for smaller namespaces or fewer of them")).ToList();
        return ToCarveouts(placed, memory.Free(settings), DriverKind.NdE820);
    }

    /// <summary>
    /// The carve-out size a request asks for on this machine. A share is of the memory the kernel
    /// gives the OS and rounds to the nearest alignment step that fits (said in a warning).
    /// </summary>
    public static ulong Resolve(MachineMemory memory, CarveoutSettings settings, ICollection<string> warnings)
    {
        switch (settings.Size)
        {
            case SizeRequest.Absolute a:
                return a.Bytes;
            case SizeRequest.Share s:
                var exact = s.Of(memory.OsRam);
                var down = ByteSize.AlignDown(exact, settings.Alignment);
                var up = down == exact ? down : down + settings.Alignment;
                var nearest = exact - down >= up - exact ? up : down;
                var largest = LargestFit(memory, settings);
                var bytes = nearest <= largest && nearest > 0 ? nearest
                    : down <= largest && down > 0 ? down
                    : Math.Min(settings.Alignment, largest) == settings.Alignment ? settings.Alignment : 0;
                if (bytes == 0)
                {
                    throw new PlanRefusedException(
                        $"carveout.size {s} of {ByteSize.FormatHuman(memory.OsRam)} is {ByteSize.FormatHuman(exact)}, and not one {ByteSize.FormatExact(settings.Alignment)} step fits on this machine: "
                        + Blocker(memory, settings, settings.Alignment));
                }

                if (bytes != exact)
                {
                    warnings.Add($"carveout.size {s} of {ByteSize.FormatHuman(memory.OsRam)} is {ByteSize.FormatHuman(exact)}; rounded to {ByteSize.FormatExact(bytes)}, "
                        + $"the nearest {ByteSize.FormatExact(settings.Alignment)} step (carveout.alignment) that fits");
                }

                return bytes;
            default:
                throw new InvalidOperationException("carveout.size cannot be 'rest'");
        }
    }

    /// <summary>The largest carve-out this machine can take with these settings.</summary>
    public static ulong LargestFit(MachineMemory memory, CarveoutSettings settings)
    {
        var osLimit = memory.OsRam > settings.MinOsMemory ? ByteSize.AlignDown(memory.OsRam - settings.MinOsMemory, settings.Alignment) : 0;
        return Math.Min(osLimit, memory.Free(settings).Capacity(settings.MaxRanges));
    }

    private static void CheckOsMemory(MachineMemory memory, CarveoutSettings settings, ulong total)
    {
        var os = memory.OsRam;
        var left = total >= os ? 0 : os - total;
        if (total >= os || left < settings.MinOsMemory)
        {
            var shortfall = settings.MinOsMemory - left + (total >= os ? total - os : 0);
            throw new PlanRefusedException(
                $"carving {ByteSize.FormatHuman(total)} of {ByteSize.FormatHuman(os)} {memory.OsRamWhat} would leave {ByteSize.FormatHuman(left)} to the OS, "
                + $"{ByteSize.FormatHuman(shortfall)} less than carveout.min_os_memory ({ByteSize.FormatHuman(settings.MinOsMemory)}); "
                + $"the largest request that fits is {ByteSize.FormatExact(LargestFit(memory, settings))}: ask for that or less, or lower min_os_memory");
        }
    }

    private static PlanRefusedException Refuse(MachineMemory memory, CarveoutSettings settings, ulong size, FreeSpace free, int? node)
    {
        var where = node is null ? "" : $" on NUMA node {node}";
        // What a fresh map offers: the failed attempt has already carved parts of it.
        var offered = memory.Free(settings).Capacity(settings.MaxRanges, node);
        _ = free;
        return new PlanRefusedException(
            $"{ByteSize.FormatHuman(size)} does not fit{where}: the aligned System RAM at or above {ByteSize.FormatExact(settings.MinAddress)} "
            + $"offers {ByteSize.FormatHuman(offered)} in at most {settings.MaxRanges} range{(settings.MaxRanges == 1 ? "" : "s")}, "
            + $"{ByteSize.FormatHuman(size - Math.Min(size, offered))} short; " + Blocker(memory, settings, size, node));
    }

    // Names the largest request that fits and the setting that stands in the way of this one.
    private static string Blocker(MachineMemory memory, CarveoutSettings settings, ulong size, int? node = null)
    {
        var fit = node is null ? LargestFit(memory, settings) : memory.Free(settings).Capacity(settings.MaxRanges, node);
        var text = $"the largest request that fits on this machine is {(fit == 0 ? "nothing" : ByteSize.FormatExact(fit))}";
        var free = memory.Free(settings);
        var ranges = free.RangesFor(size, node);
        if (ranges is { } n && n > settings.MaxRanges)
        {
            return text + $"; carveout.max_ranges ({settings.MaxRanges}) blocks it: {n} ranges would hold it, so raise max_ranges to {n} or ask for less";
        }

        var anywhere = memory.Free(settings with { MinAddress = 0, Alignment = NamespaceCapacity.RegionAlignment });
        if (anywhere.Capacity(settings.MaxRanges, node) >= size && settings.MinAddress > 0)
        {
            return text + $"; placement.min_address ({ByteSize.FormatExact(settings.MinAddress)}) and carveout.alignment ({ByteSize.FormatExact(settings.Alignment)}) block it: "
                + "most of the System RAM lies below or between them; lower them or ask for less";
        }

        return text + "; ask for that or less";
    }

    private static ImmutableArray<PlannedCarveout> ToCarveouts(List<MemoryRange> placed, FreeSpace nodes, DriverKind driver) =>
        [.. placed.Select(r => new PlannedCarveout(r.Start, r.Size, nodes.NodeOf(r), driver == DriverKind.Ramdax ? NamespaceCapacity.Available(r.Size) : r.Size))];
}
