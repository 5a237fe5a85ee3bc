using System.Collections.Immutable;
using CsCheck;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using static RamDax.Provision.Tests.Planning.PlanningInputs;

namespace RamDax.Provision.Tests.Planning;

/// <summary>
/// The planner's rules over random firmware maps and requests: every plan obeys every rule, or
/// the planner refuses with a reason. Nothing else (no other exception) may come out.
/// </summary>
public sealed class PlannerPropertyTests
{
    private const ulong M = 1UL << 20;
    private const ulong G = 1UL << 30;

    private static readonly string[] Types = ["System RAM", "System RAM", "System RAM", "Reserved", "ACPI Tables", "ACPI Non-volatile Storage"];

    // Entries laid end to end with random gaps, sizes from 4 KiB to 512 GiB, at most 64 of them.
    private static Gen<ulong> Pick(params ulong[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<FirmwareMemoryMap> Maps =
        Gen.Select(Gen.ULong[0, 64 * G], Gen.ULong[1, 128 * G], Gen.Int[0, Types.Length - 1]).Array[1, 64]
            .Select(parts =>
            {
                var entries = new List<FirmwareMemoryEntry>();
                var at = 0UL;
                foreach (var (gap, size, type) in parts)
                {
                    var start = at + (gap / 4096 * 4096);
                    var end = start + Math.Max(4096, size / 4096 * 4096);
                    entries.Add(new FirmwareMemoryEntry(new MemoryRange(start, end), Types[type]));
                    at = end;
                }

                return new FirmwareMemoryMap([.. entries]);
            });

    private static readonly Gen<SizeRequest> Sizes = Gen.OneOf<SizeRequest>(
        Gen.ULong[1, 256].Select(n => (SizeRequest)new SizeRequest.Absolute(n * G)),
        Gen.Int[1, 100].Select(p => (SizeRequest)new SizeRequest.Share(p)));

    private static readonly Gen<CarveoutSettings> Carveouts =
        Gen.Select(Sizes, Gen.ULong[0, 64], Pick(16 * M, 256 * M, G, 2 * G), Pick(0UL, 4 * G, 64 * G), Gen.Int[1, 8], Gen.Bool, Gen.Bool)
            .Select((size, minOs, alignment, minAddress, maxRanges, lowestFirst, adopt) => new CarveoutSettings(
                size is SizeRequest.Absolute a ? new SizeRequest.Absolute(a.Bytes / alignment * alignment == 0 ? alignment : a.Bytes / alignment * alignment) : size,
                minOs * G, alignment, minAddress, lowestFirst ? PlacementOrder.LowestFirst : PlacementOrder.HighestFirst, false, maxRanges, adopt));

    private static readonly Gen<NamespaceSettings[]> Layouts =
        Gen.Select(Gen.OneOf<SizeRequest>(
                Gen.ULong[1, 64 * 1024].Select(n => (SizeRequest)new SizeRequest.Absolute(n * M)),
                Gen.Int[1, 50].Select(p => (SizeRequest)new SizeRequest.Share(p)),
                Gen.Const((SizeRequest)new SizeRequest.Rest())),
            Gen.Bool, Pick(4096UL, 2 * M, G))
            .Array[0, 12]
            .Select(specs => specs.Select((s, i) => Namespace(
                $"ns{i}",
                s.Item3 == G && s.Item1 is SizeRequest.Absolute a && a.Bytes < 2 * G ? new SizeRequest.Absolute(2 * G) : s.Item1,
                s.Item2 ? NamespaceMode.Devdax : NamespaceMode.Fsdax,
                s.Item3)).ToArray());

    // NUMA nodes laid over the address space in order, cut on memory-block boundaries (128 MiB to 2 GiB blocks).
    private static readonly Gen<(ulong BlockSize, ulong[] Cuts)> Nodes =
        Gen.Select(Pick(128 * M, G, 2 * G), Gen.ULong[1, 400].Array[0, 7])
            .Select((block, cuts) => (block, cuts.Select(c => c * 8 * block).Distinct().Order().ToArray()));

    // Foreign entries someone else put on the command line: reserved or persistent ranges, and a mem= limit.
    private static readonly Gen<string> ForeignArguments =
        Gen.Select(Gen.ULong[1, 64].Array[0, 3], Gen.ULong[0, 600].Array[3], Gen.Int[0, 5].Array[3], Gen.ULong[0, 700], Gen.Int[0, 3])
            .Select((sizes, starts, kinds, limit, withLimit) =>
            {
                // Mostly reserved ranges: foreign persistent memory refuses every ramdax plan.
                var parts = sizes.Select((size, i) => $"memmap={size * 256}M{"$$$#!!"[kinds[i]]}{starts[i]}G").ToList();
                if (withLimit == 0)
                {
                    parts.Add($"mem={limit + 4}G");
                }

                return string.Join(' ', parts);
            });

    [Fact]
    public void Every_plan_obeys_every_rule_or_is_refused_with_a_reason()
    {
        var planned = 0;
        Gen.Select(Maps, Carveouts, Layouts, Gen.Bool, Nodes, ForeignArguments, Gen.Bool).Sample((map, carveout, namespaces, ramdax, nodes, foreign, spread) =>
        {
            // A 1G namespace alignment needs a carve-out alignment of at least 1G (the settings check it).
            var valid = namespaces.Where(n => n.Alignment <= carveout.Alignment).ToArray();
            carveout = carveout with { SpreadAcrossNumaNodes = spread };
            var settings = With(carveout, valid);
            var numa = Topology(nodes.BlockSize, nodes.Cuts);
            var facts = Facts(map, "ro " + foreign, ramdax: ramdax, numa: numa);
            Plan plan;
            try
            {
                plan = Planner.Make(facts, settings);
            }
            catch (PlanRefusedException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Reason));
                return;
            }

            var memory = new MachineMemory(map, numa, ForeignMemory.From(facts.CommandLine, []));
            if (ramdax && memory.Foreign.Persistent.Any())
            {
                // ramdax takes foreign persistent memory over only when asked to, and the plan says so.
                Assert.True(carveout.AdoptForeignPmem, "a plan beside foreign persistent memory without carveout.adopt_foreign_pmem");
                Assert.Contains(plan.Warnings, w => w.StartsWith("carveout.adopt_foreign_pmem is true", StringComparison.Ordinal));
            }

            CheckCarveouts(memory, carveout, plan, ramdax && valid.Length > 0 ? null : valid.Length);
            Interlocked.Increment(ref planned);
            CheckNamespaces(plan, valid);
            CheckNoStranding(plan, valid, carveout.Alignment);
            if (!spread && plan.Driver == DriverKind.Ramdax)
            {
                CheckFewestRanges(memory, carveout, plan, valid.Length);
            }
        }, iter: 6000, threads: 1);

        // The generators must give the rules something to check, not only refusals.
        Assert.True(planned > 1000, $"only {planned} of 6000 requests gave a plan");
    }

    [Fact]
    public void A_namespace_that_asks_for_a_numa_node_is_planned_only_in_a_carve_out_on_that_node_or_refused()
    {
        var planned = 0;
        var asked = 0;
        Gen.Select(Maps, Carveouts, Layouts, Gen.Int[-2, 3].Array[12], Gen.Bool, Nodes, Gen.Bool).Sample((map, carveout, namespaces, wantedNodes, ramdax, nodes, spread) =>
        {
            var valid = namespaces.Where(n => n.Alignment <= carveout.Alignment)
                .Select((n, i) => n with { NumaNode = wantedNodes[i] >= 0 ? wantedNodes[i] : null })
                .ToArray();
            var numa = Topology(nodes.BlockSize, nodes.Cuts);
            var facts = Facts(map, "ro", ramdax: ramdax, numa: numa);
            Plan plan;
            try
            {
                plan = Planner.Make(facts, With(carveout with { SpreadAcrossNumaNodes = spread }, valid));
            }
            catch (PlanRefusedException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Reason));
                return;
            }

            Interlocked.Increment(ref planned);
            foreach (var n in valid.Where(n => n.NumaNode is not null))
            {
                // nd_e820 has no way to place a namespace and refuses a node; ramdax puts it there.
                Assert.Equal(DriverKind.Ramdax, plan.Driver);
                var placed = plan.Namespaces.Single(p => p.Name == n.Name);
                Assert.Equal(n.NumaNode, plan.Carveouts[placed.Carveout].NumaNode);
                Interlocked.Increment(ref asked);
            }
        }, iter: 10000, threads: 1);

        // Some plans must have placed a namespace on the node it asked for.
        Assert.True(asked > 20, $"only {asked} namespaces asking for a node were planned ({planned} plans)");
    }

    [Fact]
    public void Numa_node_each_gives_every_node_with_a_carve_out_one_namespace_of_the_entry_on_that_node_or_is_refused()
    {
        var planned = 0;
        Gen.Select(Maps, Carveouts, Layouts, Gen.Bool.Array[12], Nodes).Sample((map, carveout, namespaces, each, nodes) =>
        {
            var valid = namespaces.Where(n => n.Alignment <= carveout.Alignment)
                .Select((n, i) => n with { OnEachNode = each[i] })
                .ToArray();
            var facts = Facts(map, "ro", numa: Topology(nodes.BlockSize, nodes.Cuts));
            Plan plan;
            try
            {
                plan = Planner.Make(facts, With(carveout with { SpreadAcrossNumaNodes = true }, valid));
            }
            catch (PlanRefusedException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Reason));
                return;
            }

            var carved = plan.Carveouts.Select(c => c.NumaNode ?? -1).ToHashSet();
            foreach (var entry in valid.Where(n => n.OnEachNode))
            {
                var copies = plan.Namespaces.Where(p => p.Name.StartsWith(entry.Name + "-node", StringComparison.Ordinal)).ToList();
                Assert.DoesNotContain(plan.Namespaces, p => p.Name == entry.Name);
                Assert.Equal(carved.Order(), copies.Select(p => plan.Carveouts[p.Carveout].NumaNode ?? -1).Order());
                Assert.All(copies, p => Assert.Equal($"{entry.Name}-node{plan.Carveouts[p.Carveout].NumaNode}", p.Name));
                Interlocked.Increment(ref planned);
            }
        }, iter: 6000, threads: 1);

        Assert.True(planned > 100, $"only {planned} each-entries were planned");
    }

    // Nodes cut at the given addresses. Every second boundary lies inside a memory block, which
    // the kernel lists under both nodes: that block is in neither node, and in Shared.
    private static NumaTopology Topology(ulong blockSize, ulong[] cuts)
    {
        if (cuts.Length == 0)
        {
            return NumaTopology.None;
        }

        var bounds = new List<ulong> { 0 };
        bounds.AddRange(cuts);
        bounds.Add(64 * 1024 * G);
        var nodes = ImmutableDictionary.CreateBuilder<int, ImmutableArray<MemoryRange>>();
        var shared = ImmutableArray.CreateBuilder<MemoryRange>();
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var start = bounds[i] + (i % 2 == 1 ? blockSize : 0);
            nodes[i] = [new MemoryRange(start, bounds[i + 1])];
            if (i % 2 == 1)
            {
                shared.Add(new MemoryRange(bounds[i], start));
            }
        }

        return new NumaTopology(nodes.ToImmutable()) { Shared = shared.ToImmutable() };
    }

    private static void CheckCarveouts(MachineMemory memory, CarveoutSettings settings, Plan plan, int? fallbackCount)
    {
        var map = memory.Map;
        Assert.NotEmpty(plan.Carveouts);
        Assert.True(plan.Carveouts.Length <= settings.MaxRanges);
        var ranges = plan.Carveouts.Select(c => new MemoryRange(c.Start, c.End)).OrderBy(r => r.Start).ToList();
        foreach (var c in plan.Carveouts)
        {
            var range = new MemoryRange(c.Start, c.End);
            Assert.True(range.Size > 0);
            Assert.Equal(0UL, range.Start % settings.Alignment);
            Assert.Equal(0UL, range.Size % settings.Alignment);
            Assert.True(range.Start >= settings.MinAddress);
            Assert.True(range.End <= (memory.Foreign.Limit ?? ulong.MaxValue), "a carve-out above mem= would not exist");
            Assert.Contains(map.SystemRam, ram => ram.Contains(range));
            Assert.DoesNotContain(map.Entries, e => !e.IsSystemRam && e.Range.Overlaps(range));
            // Foreign ranges are never overlapped, and foreign persistent memory is never touched (it would merge).
            Assert.DoesNotContain(memory.Foreign.Ranges, f => f.Range.Overlaps(range)
                || (f.Kind == ForeignKind.Persistent && (f.Range.End == range.Start || f.Range.Start == range.End)));
            // A carve-out never crosses a node boundary, and is labelled with the node that holds it.
            if (!memory.Numa.Nodes.IsEmpty)
            {
                var node = Assert.Single(memory.Numa.Nodes, n => n.Value.Any(r => r.Contains(range)));
                Assert.Equal(node.Key, c.NumaNode);
                Assert.DoesNotContain(memory.Numa.Shared, b => b.Overlaps(range));
            }

            Assert.Equal(c.Size, c.InNamespaces + c.Overhead + c.Unassigned);
        }

        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.True(ranges[i - 1].End < ranges[i].Start, "carve-outs must neither overlap nor touch");
        }

        var carved = ranges.Aggregate(0UL, (s, r) => s + r.Size);
        Assert.True(memory.OsRam - carved >= settings.MinOsMemory, "min_os_memory is kept of what the kernel gives the OS");
        Assert.Equal(carved, plan.Memory.Carved);
        Assert.Equal(memory.OsRam - carved, plan.Memory.LeftForOs);
        if (fallbackCount is null or 0)
        {
            // A share rounds to the nearest step (or down, when that does not fit); namespaces may need less.
            var asked = settings.Size is SizeRequest.Absolute a ? a.Bytes : ((SizeRequest.Share)settings.Size!).Of(memory.OsRam) + settings.Alignment;
            Assert.True(carved <= asked, $"carved {carved} of {asked} asked");
            if (fallbackCount == 0 && settings.Size is SizeRequest.Absolute exact)
            {
                Assert.Equal(exact.Bytes, carved);
            }
        }
        else
        {
            Assert.Equal(fallbackCount, plan.Carveouts.Length);
        }

        Assert.DoesNotContain("nokaslr", plan.KernelArguments.Wanted);
        Assert.Equal(plan.Carveouts.Length + memory.Foreign.MemmapEntries > 4, plan.Warnings.Any(w => w.Contains("physical KASLR", StringComparison.Ordinal)));
    }

    // Every carve-out holds a namespace; one with only fixed-size namespaces is no larger than they need.
    private static void CheckNoStranding(Plan plan, NamespaceSettings[] wanted, ulong alignment)
    {
        if (wanted.Length == 0)
        {
            return;
        }

        var rest = wanted.Where(n => n.Size is SizeRequest.Rest).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        for (var c = 0; c < plan.Carveouts.Length; c++)
        {
            var members = plan.Namespaces.Where(n => n.Carveout == c).ToList();
            Assert.NotEmpty(members);
            var carveout = plan.Carveouts[c];
            if (plan.Driver == DriverKind.Ramdax && !members.Any(n => rest.Contains(n.Name)))
            {
                var need = members.Aggregate(0UL, (s, n) => s + n.Size) + NamespaceCapacity.LabelArea;
                Assert.True(carveout.Size < need + alignment, $"carve-out {c} is {carveout.Size} for {need}");
            }
            else if (plan.Driver == DriverKind.Ramdax)
            {
                var step = members.Where(n => rest.Contains(n.Name)).Max(n => NamespaceCapacity.SizeStep(n.Alignment));
                var restCount = (ulong)members.Count(n => rest.Contains(n.Name));
                Assert.True(carveout.Unassigned < step * restCount, $"carve-out {c} leaves {carveout.Unassigned} unassigned");
            }
        }
    }

    // No choice of fewer ranges could hold what was carved: the largest free ranges, each less one
    // step for every neighbour it touches, need at least as many.
    private static void CheckFewestRanges(MachineMemory memory, CarveoutSettings settings, Plan plan, int namespaces)
    {
        var rooms = FreeRooms(memory, settings).OrderDescending().ToList();
        var wanted = settings.Size is SizeRequest.Absolute a ? a.Bytes : ByteSize.AlignUp(((SizeRequest.Share)settings.Size!).Of(memory.OsRam), settings.Alignment)!.Value;
        var sum = 0UL;
        var bound = 0;
        while (bound < rooms.Count && sum < wanted)
        {
            sum += rooms[bound++];
        }

        // The rooms are conservative (a step off both ends of every piece, where the planner may
        // start a carve-out right at min_address or a node boundary): when they cannot hold the
        // request the planner can still have found room they miss, and the bound says nothing
        // (seed a1LRc70zZf21: rooms of 70G and 32G for 108G; the planner carved 72G, 32G and 2G).
        if (sum < wanted)
        {
            return;
        }

        var floor = Math.Max(bound, (namespaces + 508) / 509);
        Assert.True(plan.Carveouts.Length <= Math.Max(1, floor),
            $"{plan.Carveouts.Length} ranges where {floor} hold it: carved {string.Join(", ", plan.Carveouts.Select(c => c.MemmapSpec))} for {wanted} bytes; "
            + $"free rooms {string.Join(", ", rooms)}; namespaces {string.Join(", ", plan.Namespaces.Select(n => $"{n.Name} {n.Size} in {n.Carveout}"))}");
    }

    private static List<ulong> FreeRooms(MachineMemory memory, CarveoutSettings settings)
    {
        var cuts = memory.Numa.Nodes.SelectMany(n => n.Value.Select(r => r.Start)).ToList();
        var limit = memory.Foreign.Limit ?? ulong.MaxValue;
        var segments = new List<MemoryRange>();
        foreach (var ram in memory.Map.SystemRam)
        {
            var points = new List<ulong> { Math.Max(ram.Start, settings.MinAddress), Math.Min(ram.End, limit) };
            if (points[1] <= points[0])
            {
                continue;
            }

            points.AddRange(cuts.Where(x => x > points[0] && x < points[1]));
            // Foreign ranges and blocks two nodes share are no room.
            var holes = memory.Foreign.Ranges.Select(f => f.Range).Concat(memory.Numa.Shared).ToList();
            foreach (var h in holes)
            {
                points.AddRange(new[] { h.Start, h.End }.Where(x => x > points[0] && x < points[1]));
            }

            var sorted = points.Distinct().Order().ToList();
            for (var i = 0; i + 1 < sorted.Count; i++)
            {
                var piece = new MemoryRange(sorted[i], sorted[i + 1]);
                if (holes.Any(h => h.Overlaps(piece)))
                {
                    continue;
                }

                var start = ByteSize.AlignUp(piece.Start + 1, settings.Alignment) ?? ulong.MaxValue;
                var end = ByteSize.AlignDown(piece.End - 1, settings.Alignment);
                if (end > start)
                {
                    segments.Add(new MemoryRange(start, end));
                }
            }
        }

        // Shrunk by one byte at each end before aligning, so a segment that was whole aligned steps
        // loses a step at each end: at least what touching a neighbour costs.
        return [.. segments.Select(s => s.Size)];
    }

    private static void CheckNamespaces(Plan plan, NamespaceSettings[] wanted)
    {
        Assert.Equal(wanted.Select(n => n.Name).Order(), plan.Namespaces.Select(n => n.Name).Order());
        foreach (var group in plan.Namespaces.GroupBy(n => n.Carveout))
        {
            var carveout = plan.Carveouts[group.Key];
            var end = 0UL;
            foreach (var ns in group)
            {
                Assert.Equal(end, ns.Offset);
                Assert.True(ns.UsableSize > 0 && ns.UsableSize < ns.Size);
                if (plan.Driver == DriverKind.Ramdax)
                {
                    Assert.Equal(0UL, ns.Size % NamespaceCapacity.SizeStep(ns.Alignment));
                    Assert.Equal(0UL, (carveout.Start + ns.Offset) % ns.Alignment);
                }

                end = ns.Offset + ns.Size;
            }

            Assert.True(end <= carveout.Available, $"namespaces use {end} of {carveout.Available}");
        }
    }
}
