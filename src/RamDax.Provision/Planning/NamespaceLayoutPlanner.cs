using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Planning;

/// <summary>
/// Lays the configured namespaces out inside the carve-outs, honestly: sizes are multiples of the
/// region alignment (and of their own alignment), usable sizes subtract the info block and page
/// metadata, and a layout that does not fit is refused with what is missing.
/// </summary>
public static class NamespaceLayoutPlanner
{
    /// <summary>
    /// The smallest XFS the agent plans. xfsprogs 6.13 refuses devices under 300 MB, and with the
    /// DAX stripe unit (-d su=2m) it also refused a 502 MiB namespace ("Log size must be at least
    /// 64MB") while a 1006 MiB one worked, both on the test guest.
    /// </summary>
    public const ulong XfsMinimum = 1000 * ByteSize.MiB;

    /// <summary>The 128 KiB label area of a ramdax range holds at most this many namespace labels.</summary>
    public const int MaxNamespacesPerRange = 509;

    /// <summary>
    /// The ramdax layout. Absolute and share sizes are placed first-fit in carve-out order; each
    /// <c>rest</c> namespace then takes what is left of a carve-out, those no namespace holds yet
    /// first (several in one carve-out share it equally). Inside a carve-out, namespaces with larger alignment come first so that they
    /// start on their alignment without padding (ndctl allocates in order).
    /// </summary>
    public static ImmutableArray<PlannedNamespace> Layout(ImmutableArray<PlannedCarveout> carveouts, ImmutableArray<NamespaceSettings> namespaces, ICollection<string> warnings)
    {
        var fill = new CarveoutFill(carveouts, namespaces.Length);
        PlaceSizedFirstFit(fill, namespaces, warnings);
        ShareOutTheRest(fill, namespaces);
        return fill.InAllocationOrder(namespaces.Length);
    }

    private static void PlaceSizedFirstFit(CarveoutFill fill, ImmutableArray<NamespaceSettings> namespaces, ICollection<string> warnings)
    {
        var totalAvailable = fill.TotalAvailable;
        for (var index = 0; index < namespaces.Length; index++)
        {
            var ns = namespaces[index];
            if (ns.Size is SizeRequest.Rest)
            {
                continue;
            }

            // A share of a namespace on a node is of that node's carve-outs.
            var size = RequestedSize(ns, ns.NumaNode is { } on ? fill.AvailableOn(on) : totalAvailable, warnings);
            fill.RequireNode(ns);
            var target = fill.FirstFit(size, ns.NumaNode);
            if (target < 0 && fill.EveryRangeFull)
            {
                throw new PlanRefusedException(
                    $"namespace '{ns.Name}' does not fit: every range already holds {MaxNamespacesPerRange} namespaces, all its 128 KiB label area can describe; raise carveout.max_ranges or use fewer namespaces");
            }

            if (target < 0)
            {
                var largest = fill.LargestLeft(ns.NumaNode);
                throw new PlanRefusedException(
                    $"namespace '{ns.Name}' needs {ByteSize.FormatHuman(size)} but the largest space left in a carve-out{(ns.NumaNode is { } node ? $" on NUMA node {node}" : "")} is {ByteSize.FormatHuman(largest)} "
                    + $"({ByteSize.FormatHuman(size - largest)} missing; each range keeps 128 KiB of labels and rounds to 16 MiB); "
                    + "make the namespaces smaller or the carve-out larger");
            }

            fill.Assign(ns, index, target, size);
        }
    }

    /// <summary>
    /// Deals the <c>rest</c> namespaces round-robin over the carve-outs with room (those asking
    /// for a NUMA node over the carve-outs on it), then splits each carve-out's space left
    /// equally among those dealt to it.
    /// </summary>
    private static void ShareOutTheRest(CarveoutFill fill, ImmutableArray<NamespaceSettings> namespaces)
    {
        var rest = Enumerable.Range(0, namespaces.Length).Where(i => namespaces[i].Size is SizeRequest.Rest).ToList();
        if (rest.Count == 0)
        {
            return;
        }

        // Carve-outs that no namespace holds yet come first, so that none is left empty.
        var dealt = new List<(int Index, int Carveout)>(rest.Count);
        foreach (var byNode in rest.GroupBy(i => namespaces[i].NumaNode))
        {
            var withRoom = Enumerable.Range(0, fill.Length)
                .Where(c => fill.OnNode(c, byNode.Key) && fill.HasRoom(c, NamespaceCapacity.RegionAlignment))
                .OrderBy(c => fill.Count(c) > 0 ? 1 : 0).ThenBy(c => c).ToList();
            var first = namespaces[byNode.First()];
            fill.RequireNode(first);
            if (withRoom.Count == 0)
            {
                throw new PlanRefusedException(
                    $"namespace '{first.Name}' asks for the rest{(byNode.Key is { } node ? $" on NUMA node {node}" : "")}, but nothing is left once the other namespaces are placed; make them smaller or the carve-out larger");
            }

            dealt.AddRange(byNode.Select((index, i) => (index, withRoom[i % withRoom.Count])));
        }

        var groups = dealt.OrderBy(d => d.Index).GroupBy(x => x.Carveout);
        foreach (var group in groups)
        {
            var members = group.ToList();
            var left = fill.Left(group.Key);
            foreach (var (index, c) in members)
            {
                var ns = namespaces[index];
                if (fill.Count(c) >= MaxNamespacesPerRange)
                {
                    throw new PlanRefusedException(
                        $"namespace '{ns.Name}' does not fit: its range already holds {MaxNamespacesPerRange} namespaces, all its 128 KiB label area can describe");
                }

                var step = NamespaceCapacity.SizeStep(ns.Alignment);
                var size = ByteSize.AlignDown(left / (ulong)members.Count, step);
                if (size == 0)
                {
                    throw new PlanRefusedException(
                        $"namespace '{ns.Name}' asks for the rest, but its share ({ByteSize.FormatHuman(left / (ulong)members.Count)}) is less than one {ByteSize.FormatExact(step)} step");
                }

                fill.Assign(ns, index, c, size);
            }
        }
    }

    /// <summary>
    /// The nd_e820 layout: every namespace is a whole range of its own, sized in carve-out
    /// alignment steps, so the sizes here are what each range must be.
    /// </summary>
    public static ImmutableArray<ulong> FallbackPieces(ulong total, ImmutableArray<NamespaceSettings> namespaces, ulong alignment, ICollection<string> warnings)
    {
        var sizes = new ulong[namespaces.Length];
        var used = 0UL;
        for (var i = 0; i < namespaces.Length; i++)
        {
            var ns = namespaces[i];
            if (ns.Size is SizeRequest.Rest)
            {
                continue;
            }

            var wanted = ns.Size switch
            {
                SizeRequest.Absolute a => a.Bytes,
                SizeRequest.Share s => s.Of(total),
                _ => 0UL,
            };
            var size = ByteSize.AlignUp(Math.Max(wanted, 1), alignment) ?? throw new PlanRefusedException($"namespace '{ns.Name}' is too large");
            if (size != wanted)
            {
                warnings.Add($"namespace '{ns.Name}': without ramdax it is a whole range, so {ByteSize.FormatExact(wanted)} becomes {ByteSize.FormatExact(size)} (carveout.alignment steps)");
            }

            sizes[i] = size;
            used += size;
        }

        var restIndexes = Enumerable.Range(0, namespaces.Length).Where(i => namespaces[i].Size is SizeRequest.Rest).ToList();
        if (restIndexes.Count > 0)
        {
            var left = total > used ? total - used : 0;
            var share = ByteSize.AlignDown(left / (ulong)restIndexes.Count, alignment);
            if (share == 0)
            {
                throw new PlanRefusedException(
                    $"namespace '{namespaces[restIndexes[0]].Name}' asks for the rest, but less than one {ByteSize.FormatExact(alignment)} step of the carve-out is left");
            }

            restIndexes.ForEach(i => sizes[i] = share);
        }

        return [.. sizes];
    }

    /// <summary>The planned namespaces of the fallback, one per carve-out.</summary>
    public static ImmutableArray<PlannedNamespace> FallbackLayout(ImmutableArray<PlannedCarveout> carveouts, ImmutableArray<NamespaceSettings> namespaces) =>
        [.. namespaces.Select((ns, i) => Check(ToPlanned(ns, i, 0, carveouts[i].Size)))];

    private static ulong RequestedSize(NamespaceSettings ns, ulong totalAvailable, ICollection<string> warnings)
    {
        var step = NamespaceCapacity.SizeStep(ns.Alignment);
        switch (ns.Size)
        {
            case SizeRequest.Absolute a:
                var size = ByteSize.AlignUp(a.Bytes, step) ?? throw new PlanRefusedException($"namespace '{ns.Name}' is too large");
                if (size != a.Bytes)
                {
                    warnings.Add($"namespace '{ns.Name}': size {ByteSize.FormatExact(a.Bytes)} rounded up to {ByteSize.FormatExact(size)} (a multiple of {ByteSize.FormatExact(step)})");
                }

                return size;
            case SizeRequest.Share s:
                var share = ByteSize.AlignDown(s.Of(totalAvailable), step);
                if (share == 0)
                {
                    throw new PlanRefusedException($"namespace '{ns.Name}': {s} of {ByteSize.FormatHuman(totalAvailable)} is less than one {ByteSize.FormatExact(step)} step");
                }

                return share;
            default:
                throw new InvalidOperationException("rest sizes are placed separately");
        }
    }

    private static PlannedNamespace ToPlanned(NamespaceSettings ns, int carveout, ulong offset, ulong size) =>
        new(ns.Name, ns.Mode, size, NamespaceCapacity.Usable(size, ns.Alignment), ns.Alignment, carveout, offset,
            ns.Filesystem, ns.Mount, ns.Device, ns.Wipe, ns.Reconfigure);

    private static PlannedNamespace Check(PlannedNamespace ns)
    {
        if (ns.UsableSize == 0)
        {
            throw new PlanRefusedException(
                $"namespace '{ns.Name}': {ByteSize.FormatExact(ns.Size)} leaves nothing usable with {ByteSize.FormatExact(ns.Alignment)} alignment "
                + $"(the info block and page metadata take the first {ByteSize.FormatExact(ns.Alignment)} step); make it at least {ByteSize.FormatExact(2 * ns.Alignment)}");
        }

        if (ns.Filesystem?.Type == FilesystemType.Xfs && ns.UsableSize < XfsMinimum)
        {
            throw new PlanRefusedException(
                $"namespace '{ns.Name}': XFS with a 2 MiB stripe unit needs at least 1000 MiB (mkfs.xfs wants a 64 MB log) but only {ByteSize.FormatHuman(ns.UsableSize)} would be usable; make it 1G or larger, or use ext4");
        }

        return ns;
    }

    /// <summary>How much of each carve-out the layout has used so far, and by which namespaces.</summary>
    private sealed class CarveoutFill(ImmutableArray<PlannedCarveout> carveouts, int namespaceCount)
    {
        private readonly ulong[] used = new ulong[carveouts.Length];
        private readonly int[] count = new int[carveouts.Length];

        // Per carve-out: at most 509 namespaces each, so ordering each one's list (in
        // InAllocationOrder) keeps the whole layout linear in the number of namespaces.
        private readonly List<(NamespaceSettings Settings, int Index, ulong Size)>?[] assigned = new List<(NamespaceSettings Settings, int Index, ulong Size)>?[carveouts.Length];

        public int Length => carveouts.Length;

        public ulong TotalAvailable => carveouts.Aggregate(0UL, (sum, c) => sum + c.Available);

        public bool EveryRangeFull => count.Length > 0 && count.All(n => n >= MaxNamespacesPerRange);

        public ulong AvailableOn(int node) => Enumerable.Range(0, carveouts.Length).Where(c => OnNode(c, node)).Aggregate(0UL, (sum, c) => sum + carveouts[c].Available);

        public ulong LargestLeft(int? node) => Enumerable.Range(0, carveouts.Length).Where(c => OnNode(c, node)).Select(Left).DefaultIfEmpty(0UL).Max();

        /// <summary>Whether carve-out <paramref name="c"/> may hold a namespace that asks for <paramref name="node"/> (null: any).</summary>
        public bool OnNode(int c, int? node) => node is null || carveouts[c].NumaNode == node;

        /// <summary>Refuses a namespace that asks for a NUMA node no carve-out is on.</summary>
        public void RequireNode(NamespaceSettings ns)
        {
            if (ns.NumaNode is not { } node || carveouts.Any(c => c.NumaNode == node))
            {
                return;
            }

            var nodes = carveouts.Select(c => c.NumaNode).Distinct().Select(n => n is { } k ? k.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown").ToList();
            throw new PlanRefusedException(
                $"namespace '{ns.Name}' asks for NUMA node {node}, but no carve-out is on it (the carve-outs are on node {string.Join(", ", nodes)}); "
                + "with carveout.placement.numa: spread every node with memory gets a carve-out, or remove numa_node");
        }

        public ulong Left(int c) => carveouts[c].Available - used[c];

        public int Count(int c) => count[c];

        public bool HasRoom(int c, ulong size) => Left(c) >= size && count[c] < MaxNamespacesPerRange;

        public int FirstFit(ulong size, int? node)
        {
            for (var c = 0; c < carveouts.Length; c++)
            {
                if (OnNode(c, node) && HasRoom(c, size))
                {
                    return c;
                }
            }

            return -1;
        }

        public void Assign(NamespaceSettings ns, int index, int c, ulong size)
        {
            used[c] += size;
            count[c]++;
            (assigned[c] ??= new(Math.Min(namespaceCount, MaxNamespacesPerRange))).Add((ns, index, size));
        }

        /// <summary>
        /// The planned namespaces carve-out by carve-out, larger alignment first and otherwise in
        /// configuration order, each at the offset where ndctl will allocate it.
        /// </summary>
        public ImmutableArray<PlannedNamespace> InAllocationOrder(int capacity)
        {
            var planned = ImmutableArray.CreateBuilder<PlannedNamespace>(capacity);
            for (var c = 0; c < carveouts.Length; c++)
            {
                if (assigned[c] is not { } members)
                {
                    continue;
                }

                members.Sort(static (a, b) => a.Settings.Alignment != b.Settings.Alignment
                    ? b.Settings.Alignment.CompareTo(a.Settings.Alignment)
                    : a.Index.CompareTo(b.Index));
                var offset = 0UL;
                foreach (var (ns, _, size) in members)
                {
                    planned.Add(Check(ToPlanned(ns, c, offset, size)));
                    offset += size;
                }
            }

            return planned.DrainToImmutable();
        }
    }
}
