using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// The pure planner: machine facts and settings in, a <see cref="Plan"/> out. It never touches the
/// machine, so it is tested exhaustively with captured machines and random ones.
/// </summary>
public static class Planner
{
    /// <param name="machine">What the machine is.</param>
    /// <param name="settings">What was asked for.</param>
    /// <param name="ownedBefore">Kernel arguments this agent wrote before (from its state), the only ones it may remove; every other memmap= and mem=, on the running command line or in the boot configuration (<see cref="MachineFacts.NextBoot"/>), is foreign.</param>
    public static Plan Make(MachineFacts machine, ProvisionSettings settings, IEnumerable<string>? ownedBefore = null)
    {
        var owned = (ownedBefore ?? []).ToImmutableArray();
        var warnings = new List<string>();
        var driver = machine.Kernel.HasRamdax ? DriverKind.Ramdax : DriverKind.NdE820;
        var carveout = settings.Carveout;
        var instance = settings.Instance is { Id: null, Type: null, Cloud: null } ? null : settings.Instance;
        var foreign = ForeignMemory.From(machine.CommandLine, owned, machine.NextBoot);
        var memory = new MachineMemory(machine.MemoryMap, machine.Numa, foreign);
        warnings.AddRange(foreign.Notes);

        ImmutableArray<PlannedCarveout> carveouts;
        ImmutableArray<PlannedNamespace> namespaces;
        if (carveout.Size is null)
        {
            warnings.Add("no carve-out is configured (carveout.size); nothing will be changed");
            carveouts = [];
            namespaces = [];
        }
        else
        {
            CheckForeignPersistentMemory(foreign, driver, carveout.AdoptForeignPmem, warnings);
            var total = CarveoutPlanner.Resolve(memory, carveout, warnings);
            if (settings.Namespaces.IsEmpty)
            {
                warnings.Add("no namespaces are configured; the carve-out will be bound but stay empty");
            }

            if (driver == DriverKind.Ramdax || settings.Namespaces.IsEmpty)
            {
                var layout = settings.Namespaces.FirstOrDefault(n => n.OnEachNode) is { } each
                    ? NodeNamespaces.Expand(settings.Namespaces, CarveoutPlanner.SpreadNodes(memory, carveout, total, $"namespace '{each.Name}'"))
                    : settings.Namespaces;
                var minRanges = MinRanges(layout.Length, carveout);
                (carveouts, namespaces) = PlaceAndLayout(memory, carveout, layout, total, minRanges, warnings);
                if (!layout.IsEmpty)
                {
                    (carveouts, namespaces) = TrimAndGrow(memory, carveout, carveouts, namespaces, layout, total, warnings);
                }
            }
            else
            {
                warnings.Add($"{machine.Kernel.Evidence}: falling back to nd_e820, one memmap range per namespace, each converted with ndctl");
                if (settings.Namespaces.FirstOrDefault(n => n.NumaNode is not null || n.OnEachNode) is { } placed)
                {
                    throw new PlanRefusedException(
                        $"namespace '{placed.Name}' asks for NUMA node {(placed.OnEachNode ? "each" : placed.NumaNode)}, which only the ramdax driver's layout honours ({machine.Kernel.Evidence}); remove numa_node or boot a kernel with ramdax (Linux 6.19 or later)");
                }

                var pieces = NamespaceLayoutPlanner.FallbackPieces(total, settings.Namespaces, carveout.Alignment, warnings);
                carveouts = CarveoutPlanner.PlacePieces(memory, carveout, pieces);
                namespaces = NamespaceLayoutPlanner.FallbackLayout(carveouts, settings.Namespaces);
            }

            carveouts = CarveoutTrimmer.Account(carveouts, namespaces, driver);
        }

        var entries = carveouts.Length + foreign.MemmapEntries;
        if (entries > KernelArgumentPlanner.KaslrSafeRanges)
        {
            warnings.Add($"{entries} memmap entries ({carveouts.Length} ours{(foreign.MemmapEntries > 0 ? $", {foreign.MemmapEntries} foreign" : "")}) are more than the {KernelArgumentPlanner.KaslrSafeRanges} "
                + "the x86 decompressor avoids: it skips physical KASLR (the kernel loads at its default physical address); virtual KASLR stays on");
        }

        warnings.AddRange(NodeWarnings(memory, carveout, carveouts));
        var wanted = KernelArgumentPlanner.Wanted(carveouts, driver);
        var arguments = KernelArgumentPlanner.Compare(wanted, machine.CommandLine, owned);
        var carved = carveouts.Aggregate(0UL, (sum, c) => sum + c.Size);
        var systemRam = machine.MemoryMap.TotalSystemRam;
        var os = memory.OsRam;
        return new Plan(
            driver,
            carveouts,
            arguments,
            namespaces,
            instance,
            new MemorySummary(systemRam, carved, os > carved ? os - carved : 0)
            {
                InNamespaces = carveouts.Aggregate(0UL, (sum, c) => sum + c.InNamespaces),
                Overhead = carveouts.Aggregate(0UL, (sum, c) => sum + c.Overhead),
                Unassigned = carveouts.Aggregate(0UL, (sum, c) => sum + c.Unassigned),
                Foreign = systemRam - os,
            },
            [.. warnings]);
    }

    // Namespaces of fixed sizes alone need no more than their sum: placing only that keeps them
    // in as few ranges as hold them. When that fragments too much, the whole request is placed.
    private static (ImmutableArray<PlannedCarveout>, ImmutableArray<PlannedNamespace>) PlaceAndLayout(MachineMemory memory, CarveoutSettings carveout, ImmutableArray<NamespaceSettings> wanted, ulong total, int minRanges, List<string> warnings)
    {
        if (!wanted.IsEmpty && wanted.All(n => n.Size is SizeRequest.Absolute))
        {
            var need = wanted.Aggregate(0UL, (sum, n) => sum + (ByteSize.AlignUp(((SizeRequest.Absolute)n.Size).Bytes, NamespaceCapacity.SizeStep(n.Alignment)) ?? ulong.MaxValue / 2));
            var fixedTotal = ByteSize.AlignUp(need + NamespaceCapacity.LabelArea, carveout.Alignment) ?? total;
            if (fixedTotal < total)
            {
                try
                {
                    var attempt = new List<string>();
                    var placed = CarveoutPlanner.PlaceTotal(memory, carveout, fixedTotal, minRanges, attempt);
                    var laid = NamespaceLayoutPlanner.Layout(placed, wanted, attempt);
                    warnings.AddRange(attempt);
                    return (placed, laid);
                }
                catch (PlanRefusedException)
                {
                    // Split over several ranges the fixed sizes did not fit; the whole request is tried below.
                }
            }
        }

        var carveouts = CarveoutPlanner.PlaceTotal(memory, carveout, total, minRanges, warnings);
        return (carveouts, NamespaceLayoutPlanner.Layout(carveouts, wanted, warnings));
    }

    // Trimming cuts a carve-out of fixed-size namespaces to them; a carve-out with a rest
    // namespace then grows by what that left of the request, and the layout is made again for it.
    // Should the new layout not hold (a namespace would move and leave a range empty), the trimmed one stands.
    private static (ImmutableArray<PlannedCarveout>, ImmutableArray<PlannedNamespace>) TrimAndGrow(MachineMemory memory, CarveoutSettings carveout,
        ImmutableArray<PlannedCarveout> carveouts, ImmutableArray<PlannedNamespace> namespaces, ImmutableArray<NamespaceSettings> layout, ulong total, List<string> warnings)
    {
        var said = new List<string>();
        var trimmed = CarveoutTrimmer.Trim(carveouts, namespaces, layout, carveout, total, said);
        var grown = CarveoutGrower.Grow(memory, carveout, trimmed.Carveouts, trimmed.Namespaces, layout, total);
        if (grown != trimmed.Carveouts)
        {
            try
            {
                var again = new List<string>();
                var regrown = CarveoutTrimmer.Trim(grown, NamespaceLayoutPlanner.Layout(grown, layout, []), layout, carveout, total, again);
                (trimmed, said) = (regrown, again);
            }
            catch (PlanRefusedException)
            {
                // The trimmed layout stands.
            }
        }

        warnings.AddRange(said);
        return trimmed;
    }

    // A node whose memory is carved away leaves its CPUs allocating from other nodes. Its share of
    // min_os_memory is what each node should keep.
    private static IEnumerable<string> NodeWarnings(MachineMemory memory, CarveoutSettings settings, ImmutableArray<PlannedCarveout> carveouts)
    {
        if (memory.Numa.Nodes.Count < 2 || carveouts.IsEmpty)
        {
            yield break;
        }

        var limit = memory.Foreign.Limit ?? ulong.MaxValue;
        var keep = settings.MinOsMemory / (ulong)memory.Numa.Nodes.Count;
        foreach (var (node, ranges) in memory.Numa.Nodes.OrderBy(n => n.Key))
        {
            var ram = 0UL;
            foreach (var r in memory.Map.SystemRam)
            {
                foreach (var n in ranges)
                {
                    var start = Math.Max(n.Start, r.Start);
                    var end = Math.Min(Math.Min(n.End, r.End), limit);
                    ram += end > start ? end - start : 0;
                }
            }

            var carved = carveouts.Where(c => c.NumaNode == node).Aggregate(0UL, (sum, c) => sum + c.Size);
            if (carved > 0 && ram - Math.Min(ram, carved) < keep)
            {
                yield return $"NUMA node {node} keeps {ByteSize.FormatHuman(ram - Math.Min(ram, carved))} of its {ByteSize.FormatHuman(ram)} for the OS, less than its share of min_os_memory "
                    + $"({ByteSize.FormatHuman(keep)}): its CPUs will allocate from other nodes; ask for less, or use placement.numa: spread";
            }
        }
    }

    // Each range's 128 KiB label area describes at most 509 namespaces: more take more ranges.
    private static int MinRanges(int namespaces, CarveoutSettings carveout)
    {
        var needed = Math.Max(1, (namespaces + NamespaceLayoutPlanner.MaxNamespacesPerRange - 1) / NamespaceLayoutPlanner.MaxNamespacesPerRange);
        if (needed > carveout.MaxRanges)
        {
            throw new PlanRefusedException(
                $"{namespaces} namespaces need {needed} ranges (the label area of one range describes at most {NamespaceLayoutPlanner.MaxNamespacesPerRange}) but carveout.max_ranges is {carveout.MaxRanges}; "
                + $"raise carveout.max_ranges to {needed} or configure at most {carveout.MaxRanges * NamespaceLayoutPlanner.MaxNamespacesPerRange} namespaces");
        }

        return needed;
    }

    // ramdax binds the whole e820_pmem device, so every type-12 range comes with ours, and
    // modprobe.blacklist=nd_e820 would take their /dev/pmemN away from whoever uses them. Only
    // carveout.adopt_foreign_pmem lets that happen, and the plan then says so.
    private static void CheckForeignPersistentMemory(ForeignMemory foreign, DriverKind driver, bool adopt, List<string> warnings)
    {
        var pmem = foreign.Persistent.ToList();
        if (driver != DriverKind.Ramdax || pmem.Count == 0)
        {
            return;
        }

        var list = string.Join(", ", pmem.Select(p => $"{p.Argument} ({p.Range}) in {p.Source}").Distinct(StringComparer.Ordinal));
        if (!adopt)
        {
            throw new PlanRefusedException(
                $"the running command line or the boot configuration has persistent memory the agent did not set up: {list}; ramdax binds the whole e820_pmem device, so its /dev/pmem devices "
                + "would be taken over and nd_e820 blacklisted; remove that memmap= from the boot configuration (and reboot) before carving, "
                + "set carveout.adopt_foreign_pmem: true to let ramdax take it over, or leave carveout.size unset");
        }

        warnings.Add($"carveout.adopt_foreign_pmem is true: ramdax takes over persistent memory the agent did not set up, {list}; it binds the whole e820_pmem device, "
            + "so that range becomes a ramdax region beside ours, its /dev/pmem devices are no longer nd_e820's (nd_e820 is blacklisted), and whatever used them must move to the ramdax region");
    }
}
