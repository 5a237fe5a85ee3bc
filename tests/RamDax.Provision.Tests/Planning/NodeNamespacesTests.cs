using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using static RamDax.Provision.Tests.Planning.PlanningInputs;

namespace RamDax.Provision.Tests.Planning;

/// <summary><c>numa_node: each</c>: one namespace written once, one namespace on every node.</summary>
public sealed class NodeNamespacesTests
{
    private const ulong G = 1UL << 30;

    // Four nodes of 32 GiB above 4 GiB, node 2 with the most room (48 GiB).
    private static readonly FirmwareMemoryMap FourNodeMap = Map((0, 0xa0000, "System RAM"), (0x100000, 3 * G, "System RAM"), (4 * G, 148 * G, "System RAM"));

    private static readonly NumaTopology FourNodes = Nodes((0, 0, 36 * G), (1, 36 * G, 68 * G), (2, 68 * G, 116 * G), (3, 116 * G, 148 * G));

    [Fact]
    public void Each_node_gets_the_namespace_with_the_node_after_its_name_label_and_mount_path()
    {
        var settings = Settings("""
            carveout: {size: 40G, max_ranges: 4, placement: {numa: spread}}
            namespaces:
              - {name: guests, mode: devdax, size: 4G, numa_node: each}
              - {name: cache, size: rest, filesystem: {type: xfs}, mount: {path: /srv/cache}, numa_node: each}
              - {name: shared, size: 2G}
            """);

        var plan = Planner.Make(Facts(FourNodeMap, numa: FourNodes), settings);

        Assert.Equal(
            ["guests-node0", "guests-node1", "guests-node2", "guests-node3", "cache-node0", "cache-node1", "cache-node2", "cache-node3", "shared"],
            plan.Namespaces.Select(n => n.Name).OrderBy(n => n.StartsWith("guests", StringComparison.Ordinal) ? 0 : n.StartsWith("cache", StringComparison.Ordinal) ? 1 : 2).ThenBy(n => n, StringComparer.Ordinal));
        Assert.Equal([0, 1, 2, 3], plan.Carveouts.Select(c => c.NumaNode ?? -1).Order());
        foreach (var node in Enumerable.Range(0, 4))
        {
            var guests = plan.Namespaces.Single(n => n.Name == $"guests-node{node}");
            var cache = plan.Namespaces.Single(n => n.Name == $"cache-node{node}");
            Assert.Equal(node, plan.Carveouts[guests.Carveout].NumaNode);
            Assert.Equal(node, plan.Carveouts[cache.Carveout].NumaNode);
            Assert.Equal(4 * G, guests.Size);
            Assert.Equal($"cache-node{node}", cache.Filesystem!.Label);
            Assert.Equal($"/srv/cache-node{node}", cache.Mount!.Path);
        }

        Assert.Equal("/mnt/ramdax/shared", plan.Namespaces.Single(n => n.Name == "shared").Mount!.Path);
    }

    [Fact]
    public void With_more_nodes_than_max_ranges_the_nodes_with_the_most_room_get_one_and_the_plan_says_which()
    {
        var settings = Settings("carveout: {size: 16G, max_ranges: 2, placement: {numa: spread}}\nnamespaces: [{name: vm, mode: devdax, size: rest, numa_node: each}]\n");

        var plan = Planner.Make(Facts(FourNodeMap, numa: FourNodes), settings);

        // Node 2 has 48 GiB; nodes 0 (32 GiB above 4 GiB), 1 and 3 tie at 32 GiB and the lowest wins.
        Assert.Equal(["vm-node0", "vm-node2"], plan.Namespaces.Select(n => n.Name).Order(StringComparer.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("only nodes 0, 2 get a share", StringComparison.Ordinal));
    }

    [Fact]
    public void A_share_of_a_namespace_on_each_node_is_of_that_node_s_carve_outs()
    {
        var settings = Settings("carveout: {size: 16G, placement: {numa: spread}}\nnamespaces: [{name: half, size: 50%, numa_node: each}, {name: rest, size: rest, numa_node: each}]\n");

        var plan = Planner.Make(Facts(TwoNodeMap, numa: TwoNodes), settings);

        foreach (var half in plan.Namespaces.Where(n => n.Name.StartsWith("half", StringComparison.Ordinal)))
        {
            var available = plan.Carveouts[half.Carveout].Available;
            Assert.InRange(half.Size, (available / 2) - (16UL << 20), available / 2); // whole 16 MiB steps
        }

        Assert.Equal(4, plan.Namespaces.Length);
    }

    [Fact]
    public void A_label_that_a_two_digit_node_makes_too_long_is_refused_naming_the_node()
    {
        var nodes = Nodes((0, 0, 36 * G), (10, 36 * G, 68 * G));
        var settings = Settings("carveout: {size: 16G, placement: {numa: spread}}\nnamespaces: [{name: guests, size: rest, filesystem: {type: xfs}, numa_node: each}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap, numa: nodes), settings));

        Assert.Contains("namespace 'guests' has numa_node: each, and on NUMA node 10 the xfs label 'guests-node10' is longer than 12 bytes", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_namespace_that_takes_another_namespace_s_name_is_refused()
    {
        var settings = Settings("carveout: {size: 16G, placement: {numa: spread}}\nnamespaces: [{name: vm, mode: devdax, size: 2G, numa_node: each}, {name: vm-node1, mode: devdax, size: 2G}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap, numa: TwoNodes), settings));

        Assert.Contains("numa_node: each names a namespace 'vm-node1', which another namespace is called too", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_namespace_mounted_inside_another_namespace_s_mount_is_refused()
    {
        var settings = Settings("carveout: {size: 16G, placement: {numa: spread}}\nnamespaces: [{name: a, size: 2G, mount: {path: /srv/x}, numa_node: each}, {name: b, size: 2G, mount: {path: /srv/x-node0/inner}}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap, numa: TwoNodes), settings));

        Assert.Contains("namespace 'b' would mount at /srv/x-node0/inner, inside 'a-node0' at /srv/x-node0", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_numa_nodes_each_is_refused_saying_what_to_write_instead()
    {
        var settings = Settings("carveout: {size: 4G, placement: {numa: spread}}\nnamespaces: [{name: vm, mode: devdax, size: rest, numa_node: each}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap), settings));

        Assert.Contains("namespace 'vm' asks for one namespace on each NUMA node, but this machine shows no NUMA node", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_ramdax_each_is_refused()
    {
        var settings = Settings("carveout: {size: 8G, placement: {numa: spread}}\nnamespaces: [{name: a, size: 2G, numa_node: each}]\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Facts(TwoNodeMap, ramdax: false, numa: TwoNodes), settings));

        Assert.Contains("asks for NUMA node each, which only the ramdax driver's layout honours", e.Reason, StringComparison.Ordinal);
    }
}
