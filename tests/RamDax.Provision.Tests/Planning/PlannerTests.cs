using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;
using static RamDax.Provision.Tests.Planning.PlanningInputs;

namespace RamDax.Provision.Tests.Planning;

public sealed class PlannerTests
{
    private const ulong G = 1UL << 30;
    private const ulong M = 1UL << 20;

    private static CarveoutSettings Carveout(SizeRequest? size, ulong minOs = 2 * G, ulong alignment = G, ulong minAddress = 4 * G, int maxRanges = 4, bool numa = false, PlacementOrder order = PlacementOrder.HighestFirst, bool adoptForeignPmem = false) =>
        new(size, minOs, alignment, minAddress, order, numa, maxRanges, adoptForeignPmem);

    [Fact]
    public void The_carveout_goes_at_the_top_of_the_highest_range_above_4G()
    {
        var plan = Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Absolute(2 * G))));

        var carveout = Assert.Single(plan.Carveouts);
        Assert.Equal((5 * G, 2 * G), (carveout.Start, carveout.Size));
        Assert.Equal<string>(["memmap=2G!5G", "modprobe.blacklist=nd_e820"], plan.KernelArguments.Wanted);
        Assert.Equal<string>(plan.KernelArguments.Wanted, plan.KernelArguments.Add);
        Assert.Equal(DriverKind.Ramdax, plan.Driver);
    }

    [Fact]
    public void Lowest_first_placement_reproduces_the_verified_memmap_2G_at_4G()
    {
        var plan = Planner.Make(Facts(Qemu6G, "ro memmap=2G!4G modprobe.blacklist=nd_e820"), With(Carveout(new SizeRequest.Absolute(2 * G), order: PlacementOrder.LowestFirst)),
            ownedBefore: ["memmap=2G!4G", "modprobe.blacklist=nd_e820"]);

        Assert.Equal("memmap=2G!4G", plan.KernelArguments.Wanted[0]);
        Assert.True(plan.KernelArguments.Satisfied);
    }

    [Fact]
    public void Nothing_is_carved_below_the_minimum_address()
    {
        var e = Assert.Throws<PlanRefusedException>(() =>
            Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Absolute(4 * G), minOs: G))));

        Assert.True(e.Reason.Contains("offers 3.00 GiB", StringComparison.Ordinal), e.Reason);
        Assert.Contains("1.00 GiB short", e.Reason, StringComparison.Ordinal);
        Assert.Contains("the largest request that fits on this machine is 3G", e.Reason, StringComparison.Ordinal);
        Assert.Contains("placement.min_address (4G)", e.Reason, StringComparison.Ordinal);
        Assert.Equal(3, e.ExitCode);
    }

    [Fact]
    public void The_OS_keeps_min_os_memory_and_the_refusal_says_by_how_much()
    {
        var e = Assert.Throws<PlanRefusedException>(() =>
            Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Absolute(3 * G), minOs: 4 * G))));

        Assert.Contains("would leave 3.00 GiB to the OS", e.Reason, StringComparison.Ordinal);
        Assert.Contains("1.00 GiB less than carveout.min_os_memory", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_share_rounds_to_the_nearest_alignment_step_that_fits_and_says_so()
    {
        var plan = Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Share(50))));

        Assert.Equal(3 * G, plan.Carveouts.Single().Size);  // 50% of 5.99 GiB is 2.99 GiB: nearest is 3 steps
        Assert.Contains(plan.Warnings, w => w.Contains("carveout.size 50% of 6.00 GiB is 3.00 GiB; rounded to 3G", StringComparison.Ordinal));

        // 60% is 3.59 GiB: the nearest step (4G) does not fit above 4 GiB, so it rounds down.
        var down = Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Share(60), minOs: G)));
        Assert.Equal(3 * G, down.Carveouts.Single().Size);
    }

    [Fact]
    public void A_share_of_a_small_vm_that_cannot_fit_names_the_setting_that_blocks_it_not_a_larger_share()
    {
        // A 4 GiB Xen HVM guest: RAM below 0xf0000000 and 256 MiB above 4 GiB.
        var xen = Map((0, 0x9f000, "System RAM"), (0x100000, 0xf0000000, "System RAM"), (0xfc000000, 0x100000000, "Reserved"), (0x100000000, 0x110000000, "System RAM"));

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(xen), With(Carveout(new SizeRequest.Share(25)))));

        Assert.Contains("the largest request that fits on this machine is nothing", e.Reason, StringComparison.Ordinal);
        Assert.Contains("placement.min_address (4G) and carveout.alignment (1G) block it", e.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("larger share", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_larger_than_one_range_is_split_over_ranges_up_to_max_ranges()
    {
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 8 * G, "System RAM"), (8 * G, (8 * G) + 0x1000, "Reserved"), ((8 * G) + 0x1000, 16 * G, "System RAM"));

        var plan = Planner.Make(Facts(map), With(Carveout(new SizeRequest.Absolute(10 * G), minOs: G)));
        Assert.Equal([(9 * G, 7 * G), (5 * G, 3 * G)], plan.Carveouts.Select(c => (c.Start, c.Size)));
        Assert.Equal("memmap=3G!5G,7G!9G", plan.KernelArguments.Wanted[0]);

        Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(map), With(Carveout(new SizeRequest.Absolute(10 * G), minOs: G, maxRanges: 1))));
    }

    [Fact]
    public void Spreading_across_numa_nodes_gives_each_node_its_share()
    {

        var plan = Planner.Make(Facts(TwoNodeMap, numa: TwoNodes), With(Carveout(new SizeRequest.Absolute(17 * G), numa: true),
            Namespace("n0", new SizeRequest.Rest()), Namespace("n1", new SizeRequest.Rest())));

        Assert.Equal([(0, 9 * G), (1, 8 * G)], plan.Carveouts.Select(c => (c.NumaNode ?? -1, c.Size)));
        Assert.Equal([0, 1], plan.Namespaces.Select(n => n.Carveout));
    }

    [Fact]
    public void A_namespace_that_asks_for_a_numa_node_goes_into_that_node_s_carve_out()
    {
        // A VM host: one devdax namespace per socket, listed node 1 first.
        var settings = Settings("""
            carveout: {size: 16G, placement: {numa: spread}}
            namespaces:
              - {name: guests-1, mode: devdax, size: 6G, numa_node: 1}
              - {name: guests-0, mode: devdax, size: 6G, numa_node: 0}
              - {name: scratch-1, size: rest, numa_node: 1}
              - {name: scratch-0, size: rest, numa_node: 0}
            """);

        var plan = Planner.Make(Facts(TwoNodeMap, numa: TwoNodes), settings);

        Assert.All(plan.Namespaces, n => Assert.Equal(n.Name[^1] - '0', plan.Carveouts[n.Carveout].NumaNode));
        Assert.Equal(4, plan.Namespaces.Length);
    }

    [Fact]
    public void A_numa_node_no_carve_out_is_on_is_refused_with_the_nodes_there_are()
    {
        // Highest first: the one carve-out lands on node 1.
        var settings = Settings("carveout: {size: 8G}\nnamespaces: [{name: far, size: 2G, numa_node: 0}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap, numa: TwoNodes), settings));

        Assert.Contains("namespace 'far' asks for NUMA node 0, but no carve-out is on it (the carve-outs are on node 1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("carveout.placement.numa: spread", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_namespace_too_large_for_its_node_s_carve_out_is_refused_naming_the_node()
    {
        var settings = Settings("carveout: {size: 16G, placement: {numa: spread}}\nnamespaces: [{name: big, size: 12G, numa_node: 0}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap, numa: TwoNodes), settings));

        Assert.Contains("the largest space left in a carve-out on NUMA node 0 is", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_ramdax_a_numa_node_request_is_refused()
    {
        var settings = Settings("carveout: {size: 8G}\nnamespaces: [{name: a, size: 2G, numa_node: 0}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap, ramdax: false, numa: TwoNodes), settings));

        Assert.Contains("only the ramdax driver's layout honours", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_four_ranges_warn_that_physical_kaslr_is_off_without_adding_nokaslr()
    {
        var ranges = new List<(ulong, ulong, string)> { (0, 0xa0000, "System RAM") };
        for (var i = 0UL; i < 6; i++)
        {
            ranges.Add(((4 + (2 * i)) * G, (5 + (2 * i)) * G, "System RAM"));
            ranges.Add(((5 + (2 * i)) * G, (6 + (2 * i)) * G, "Reserved"));
        }

        ranges.Add((16 * G, 20 * G, "System RAM"));
        var plan = Planner.Make(Facts(Map([.. ranges])), With(Carveout(new SizeRequest.Absolute(9 * G), minOs: G, maxRanges: 8)));

        Assert.Equal(6, plan.Carveouts.Length);
        Assert.DoesNotContain("nokaslr", plan.KernelArguments.Wanted);
        Assert.Contains(plan.Warnings, w => w.Contains("6 memmap entries", StringComparison.Ordinal) && w.Contains("physical KASLR", StringComparison.Ordinal));
    }

    [Fact]
    public void Foreign_memmap_entries_count_toward_the_four_kaslr_avoids()
    {
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 64 * G, "System RAM"));

        var plan = Planner.Make(Facts(map, "ro memmap=1G$60G,1G$58G,1G$56G,1G$54G"), With(Carveout(new SizeRequest.Absolute(2 * G))));

        Assert.Contains(plan.Warnings, w => w.Contains("5 memmap entries (1 ours, 4 foreign)", StringComparison.Ordinal));
    }

    [Fact]
    public void Stale_owned_arguments_are_removed_and_foreign_ones_never()
    {
        var plan = Planner.Make(
            Facts(Qemu6G, "ro quiet memmap=1G!4G memmap=64M$0x3000000 modprobe.blacklist=nd_e820"),
            With(Carveout(new SizeRequest.Absolute(2 * G))),
            ownedBefore: ["memmap=1G!4G", "modprobe.blacklist=nd_e820"]);

        Assert.Equal<string>(["memmap=2G!5G"], plan.KernelArguments.Add);
        Assert.Equal<string>(["memmap=1G!4G"], plan.KernelArguments.Remove);
    }

    [Fact]
    public void Namespaces_are_laid_out_with_honest_capacity()
    {
        var plan = Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Absolute(2 * G)),
            Namespace("a", new SizeRequest.Absolute(512 * M)),
            Namespace("b", new SizeRequest.Rest()),
            Namespace("c", new SizeRequest.Absolute(128 * M), NamespaceMode.Devdax)));

        Assert.Equal(["a", "b", "c"], plan.Namespaces.Select(n => n.Name));
        Assert.Equal([512 * M, 1392 * M, 128 * M], plan.Namespaces.Select(n => n.Size));  // 2032M available
        Assert.Equal([0UL, 512 * M, 1904 * M], plan.Namespaces.Select(n => n.Offset));
        Assert.Equal(526385152UL, plan.Namespaces[0].UsableSize);
    }

    [Fact]
    public void Namespaces_with_larger_alignment_come_first_so_they_start_aligned()
    {
        var plan = Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Absolute(3 * G)),
            Namespace("small", new SizeRequest.Absolute(256 * M)),
            Namespace("huge", new SizeRequest.Absolute(2 * G), NamespaceMode.Devdax, alignment: G)));

        Assert.Equal(("huge", 0UL), (plan.Namespaces[0].Name, plan.Namespaces[0].Offset));
        Assert.Equal(G, plan.Namespaces[0].UsableSize);
    }

    [Fact]
    public void A_layout_that_does_not_fit_says_what_is_missing()
    {
        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Absolute(2 * G)),
            Namespace("a", new SizeRequest.Absolute(2 * G)))));

        Assert.Contains("namespace 'a' needs 2.00 GiB but the largest space left in a carve-out is 1.98 GiB (16.00 MiB missing", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xfs_namespace_too_small_for_its_log_is_refused_before_mkfs_would_be()
    {
        var settings = Settings("carveout: {size: 2G}\nnamespaces: [{name: x, size: 512M, filesystem: {type: xfs}}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(Qemu6G), settings));

        Assert.Contains("XFS with a 2 MiB stripe unit needs at least 1000 MiB", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_that_are_not_multiples_of_16M_are_rounded_up_with_a_warning()
    {
        var plan = Planner.Make(Facts(Qemu6G), With(Carveout(new SizeRequest.Absolute(2 * G)), Namespace("a", new SizeRequest.Absolute(100 * M))));

        Assert.Equal(112 * M, plan.Namespaces.Single().Size);
        Assert.Contains(plan.Warnings, w => w.Contains("rounded up to 112M", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kernel_without_ramdax_gets_one_range_per_namespace_kept_apart()
    {
        var plan = Planner.Make(Facts(Qemu6G, ramdax: false), With(Carveout(new SizeRequest.Absolute(2 * G), minOs: G),
            Namespace("a", new SizeRequest.Absolute(512 * M)), Namespace("b", new SizeRequest.Rest())));

        Assert.Equal(DriverKind.NdE820, plan.Driver);
        Assert.Equal([(6 * G, G), (4 * G, G)], plan.Carveouts.Select(c => (c.Start, c.Size)));
        Assert.Equal<string>(["memmap=1G!4G,1G!6G"], plan.KernelArguments.Wanted);   // no blacklist: nd_e820 is the driver
        Assert.Equal([0, 1], plan.Namespaces.Select(n => n.Carveout));
        Assert.Contains(plan.Warnings, w => w.Contains("falling back to nd_e820", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("512M becomes 1G", StringComparison.Ordinal));
    }

    [Fact]
    public void More_than_509_namespaces_take_another_range_when_max_ranges_allows()
    {
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 40 * G, "System RAM"));
        var many = Enumerable.Range(0, 510).Select(i => Namespace($"n{i}", new SizeRequest.Absolute(16 * M))).ToArray();

        var plan = Planner.Make(Facts(map), With(Carveout(new SizeRequest.Absolute(16 * G), minOs: G), many));
        Assert.Equal(2, plan.Carveouts.Length);
        Assert.All(plan.Namespaces.GroupBy(n => n.Carveout), g => Assert.True(g.Count() <= 509));

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(map), With(Carveout(new SizeRequest.Absolute(16 * G), minOs: G, maxRanges: 1), many)));
        Assert.Contains("510 namespaces need 2 ranges", e.Reason, StringComparison.Ordinal);
        Assert.Contains("raise carveout.max_ranges to 2", e.Reason, StringComparison.Ordinal);

        var fits = Planner.Make(Facts(map), With(Carveout(new SizeRequest.Absolute(16 * G), minOs: G), many[..509]));
        Assert.Equal(509, fits.Namespaces.Length);
        Assert.Single(fits.Carveouts);
    }

    // Eight System RAM ranges of 127 GiB, one per node, with a reserved gap after each (the shape of a 1 TB 2-socket EPYC map).
    private static (RamDax.Provision.Machine.FirmwareMemoryMap Map, RamDax.Provision.Machine.NumaTopology Numa) EightNodes()
    {
        var ranges = new List<(ulong, ulong, string)> { (0, 0xa0000, "System RAM"), (0x100000, 3 * G, "System RAM") };
        var nodes = new Dictionary<int, System.Collections.Immutable.ImmutableArray<RamDax.Provision.Machine.MemoryRange>>();
        for (var n = 0UL; n < 8; n++)
        {
            var start = (4 + (128 * n)) * G;
            ranges.Add((start, start + (127 * G), "System RAM"));
            ranges.Add((start + (127 * G), start + (128 * G), "Reserved"));
            nodes[(int)n] = n == 0 ? [new(0, 3 * G), new(start, start + (128 * G))] : [new(start, start + (128 * G))];
        }

        return (Map([.. ranges]), new RamDax.Provision.Machine.NumaTopology(System.Collections.Immutable.ImmutableDictionary.CreateRange(nodes)));
    }

    [Fact]
    public void A_share_with_one_rest_namespace_takes_the_largest_range_one_namespace_can_hold_and_says_so()
    {
        var (map, numa) = EightNodes();

        var plan = Planner.Make(Facts(map, numa: numa), With(Carveout(new SizeRequest.Share(25)), Namespace("store", new SizeRequest.Rest())));

        var carveout = Assert.Single(plan.Carveouts);
        Assert.Equal(127 * G, carveout.Size);
        Assert.Equal(0UL, plan.Memory.Unassigned);
        Assert.Contains(plan.Warnings, w => w.Contains("carveout.size 25% asks for 255.00 GiB", StringComparison.Ordinal) && w.Contains("one namespace holds at most one range, here at most 126.98 GiB", StringComparison.Ordinal));
    }

    [Fact]
    public void An_absolute_size_that_would_leave_a_range_empty_is_refused_with_what_to_change()
    {
        var (map, numa) = EightNodes();

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(map, numa: numa), With(Carveout(new SizeRequest.Absolute(254 * G)), Namespace("store", new SizeRequest.Rest()))));

        Assert.Contains("add 1 namespace with size: rest, or ask for at most 127G", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_namespace_and_a_rest_one_fill_a_range_each_and_the_fixed_one_is_cut_to_its_size()
    {
        var (map, numa) = EightNodes();

        var plan = Planner.Make(Facts(map, numa: numa), With(Carveout(new SizeRequest.Share(25)),
            Namespace("wal", new SizeRequest.Absolute(8 * G)), Namespace("tables", new SizeRequest.Rest())));

        Assert.Equal([9 * G, 127 * G], plan.Carveouts.Select(c => c.Size).Order());
        var tables = plan.Namespaces.Single(n => n.Name == "tables");
        Assert.True(tables.Size > 126 * G, $"rest got {tables.Size}");
        Assert.All(plan.Carveouts, c => Assert.Contains(plan.Namespaces, n => plan.Carveouts[n.Carveout] == c));
    }

    [Fact]
    public void A_request_two_ranges_hold_fits_max_ranges_2_using_the_largest_ranges()
    {
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 14 * G, "System RAM"), (14 * G, 15 * G, "Reserved"), (15 * G, 142 * G, "System RAM"),
            (142 * G, 143 * G, "Reserved"), (143 * G, 270 * G, "System RAM"), (270 * G, 271 * G, "Reserved"), (271 * G, 275 * G, "System RAM"));

        var plan = Planner.Make(Facts(map), With(Carveout(new SizeRequest.Absolute(254 * G), maxRanges: 2),
            Namespace("a", new SizeRequest.Rest()), Namespace("b", new SizeRequest.Rest())));

        Assert.Equal([127 * G, 127 * G], plan.Carveouts.Select(c => c.Size));
    }

    [Fact]
    public void A_firmware_range_across_two_nodes_gives_one_carve_out_on_each_when_spread()
    {
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 132 * G, "System RAM"));
        var numa = new RamDax.Provision.Machine.NumaTopology(System.Collections.Immutable.ImmutableDictionary.CreateRange(new Dictionary<int, System.Collections.Immutable.ImmutableArray<RamDax.Provision.Machine.MemoryRange>>
        {
            [0] = [new(0, 68 * G)],
            [1] = [new(68 * G, 132 * G)],
        }));

        var plan = Planner.Make(Facts(map, numa: numa), With(Carveout(new SizeRequest.Absolute(64 * G), numa: true, maxRanges: 2),
            Namespace("vm0", new SizeRequest.Rest(), NamespaceMode.Devdax), Namespace("vm1", new SizeRequest.Rest(), NamespaceMode.Devdax)));

        Assert.Equal([(0, 32 * G), (1, 32 * G)], plan.Carveouts.Select(c => (c.NumaNode ?? -1, c.Size)).Order());
        Assert.All(plan.Carveouts, c => Assert.True(c.End <= 68 * G || c.Start >= 68 * G, "a carve-out crosses the node boundary"));
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("one NUMA node", StringComparison.Ordinal));
    }

    [Fact]
    public void Spread_over_more_nodes_than_max_ranges_keeps_to_max_ranges_and_says_which_nodes()
    {
        var (map, numa) = EightNodes();

        var plan = Planner.Make(Facts(map, numa: numa), With(Carveout(new SizeRequest.Absolute(64 * G), numa: true),
            [.. Enumerable.Range(0, 4).Select(i => Namespace($"vm{i}", new SizeRequest.Rest()))]));

        Assert.Equal(4, plan.Carveouts.Length);
        Assert.Contains(plan.Warnings, w => w.Contains("spread' over 8 NUMA nodes but carveout.max_ranges is 4", StringComparison.Ordinal));
    }

    [Fact]
    public void A_foreign_memmap_is_never_overlapped_and_its_memory_is_not_counted_for_the_os()
    {
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 20 * G, "System RAM"));

        var plan = Planner.Make(Facts(map, "ro memmap=12G$4G", ramdax: true), With(Carveout(new SizeRequest.Absolute(2 * G), minOs: G), Namespace("a", new SizeRequest.Rest())));

        var carveout = Assert.Single(plan.Carveouts);
        Assert.True(carveout.Start >= 16 * G);
        Assert.Equal((2 * G) + 0xa0000, plan.Memory.LeftForOs);  // 16 GiB above 4 GiB less the 12 GiB reserved, less 2 GiB carved
        Assert.Equal(12 * G, plan.Memory.Foreign);
    }

    [Fact]
    public void Foreign_persistent_memory_is_refused_under_ramdax_and_kept_clear_of_under_nd_e820()
    {
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 20 * G, "System RAM"));

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(map, "ro memmap=12G!4G"), With(Carveout(new SizeRequest.Absolute(2 * G), minOs: G), Namespace("a", new SizeRequest.Rest()))));
        Assert.Contains("memmap=12G!4G", e.Reason, StringComparison.Ordinal);

        var fallback = Planner.Make(Facts(map, "ro memmap=12G!4G", ramdax: false), With(Carveout(new SizeRequest.Absolute(2 * G), minOs: G), Namespace("a", new SizeRequest.Rest())));
        Assert.All(fallback.Carveouts, c => Assert.True(c.Start > 16 * G, "touching or overlapping the foreign range"));
    }

    [Fact]
    public void A_mem_limit_on_the_command_line_is_what_the_os_gets_and_nothing_is_carved_above_it()
    {
        var map = Map((0, 0xa0000, "System RAM"), (0x100000, 3 * G, "System RAM"), (4 * G, 100 * G, "System RAM"));

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(map, "ro mem=4G"), With(Carveout(new SizeRequest.Absolute(2 * G)), Namespace("a", new SizeRequest.Rest()))));
        Assert.Contains("System RAM below mem=4G", e.Reason, StringComparison.Ordinal);

        var plan = Planner.Make(Facts(map, "ro mem=10G"), With(Carveout(new SizeRequest.Absolute(2 * G)), Namespace("a", new SizeRequest.Rest())));
        Assert.True(plan.Carveouts.Single().End <= 10 * G);
        Assert.True(plan.Memory.LeftForOs < 9 * G, $"left for the OS {plan.Memory.LeftForOs}");
    }

    [Fact]
    public void The_same_inputs_give_the_same_plan()
    {
        var settings = Settings("carveout: {size: 2G}\nnamespaces: [{name: a, size: 1G}, {name: b, size: rest}]\n");
        var first = System.Text.Json.JsonSerializer.Serialize(Planner.Make(Facts(Qemu6G), settings), RamDax.Provision.Output.ProvisionJsonContext.Default.Plan);
        var second = System.Text.Json.JsonSerializer.Serialize(Planner.Make(Facts(Qemu6G), settings), RamDax.Provision.Output.ProvisionJsonContext.Default.Plan);

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_rest_namespace_s_carve_out_grows_by_what_trimming_a_fixed_size_one_left_of_the_request()
    {
        // Two nodes of 128 GiB (the Dell R7425's shape): 240G in two ranges. The ranges are split
        // before the layout, 128G and 112G; the fixed-size stores take the larger and are cut to
        // 113G, so the guests' carve-out grows from 112G to 127G and all 240G are carved.
        var map = Map((0, 0xa0000, "System RAM"), (4 * G, 132 * G, "System RAM"), (132 * G, 260 * G, "System RAM"));
        var numa = Nodes((0, 0, 132 * G), (1, 132 * G, 260 * G));
        var settings = Settings("""
            carveout: {size: 240G, min_os_memory: 8G, max_ranges: 2}
            namespaces:
              - {name: pgdata, size: 96G}
              - {name: pgwal, size: 16G}
              - {name: guests, mode: devdax, size: rest, alignment: 1G}
            """);

        var plan = Planner.Make(Facts(map, numa: numa), settings);

        Assert.Equal(240 * G, plan.Memory.Carved);
        var guests = plan.Namespaces.Single(n => n.Name == "guests");
        Assert.Equal(127 * G, plan.Carveouts[guests.Carveout].Size);
        Assert.Equal(113 * G, plan.Carveouts.Single(c => c.NumaNode != plan.Carveouts[guests.Carveout].NumaNode).Size);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("stays with the OS", StringComparison.Ordinal));
    }
}
