using System.Text.Json;
using RamDax.Provision.Machine;
using RamDax.Provision.Output;
using RamDax.Provision.Planning;
using RamDax.Provision.Tests.Support;
using static RamDax.Provision.Tests.Planning.PlanningInputs;

namespace RamDax.Provision.Tests.Planning;

/// <summary>Real firmware maps with a configuration each, and the plan reviewed for them.</summary>
public sealed class FixtureMachinePlanTests
{
    public static TheoryData<string> Machines() =>
        [.. Directory.GetDirectories(Fixtures.PathTo("machines")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Machines))]
    public void Each_real_machine_gets_its_reviewed_plan(string machine)
    {
        var dir = Fixtures.PathTo(Path.Join("machines", machine));
        var log = File.ReadAllText(Path.Join(dir, "e820.txt"));
        var settings = Settings(File.ReadAllText(Path.Join(dir, "config.yaml")));
        // The machine as the agent reads it: /sys made from the boot log, as that kernel showed it.
        using var root = BootLogRoot.Make(log, virtualMachine: machine.StartsWith("qemu-", StringComparison.Ordinal));

        var json = JsonSerializer.Serialize(Planner.Make(MachineFacts.Read(root.Root), settings), ProvisionJsonContext.Default.Plan) + "\n";

        var expectedPath = Path.Join(dir, "expected-plan.json");
        if (Environment.GetEnvironmentVariable("RAMDAX_UPDATE_FIXTURES") == "1")
        {
            File.WriteAllText(expectedPath, json);
        }

        Assert.Equal(File.ReadAllText(expectedPath), json);
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void No_carve_out_of_a_real_machine_holds_memory_of_two_nodes(string machine)
    {
        var dir = Fixtures.PathTo(Path.Join("machines", machine));
        var log = File.ReadAllText(Path.Join(dir, "e820.txt"));
        using var root = BootLogRoot.Make(log, virtualMachine: machine.StartsWith("qemu-", StringComparison.Ordinal));
        var plan = Planner.Make(MachineFacts.Read(root.Root), Settings(File.ReadAllText(Path.Join(dir, "config.yaml"))));

        // The boot log's node ranges are exact, finer than the memory blocks the agent reads.
        var nodes = BootLogRoot.NodeRanges(log);
        foreach (var c in plan.Carveouts.Where(_ => nodes.Count > 0))
        {
            var holders = nodes.Where(n => n.Start < c.End && c.Start < n.End).Select(n => n.Node).Distinct().ToList();
            Assert.True(holders.Count == 1 && holders[0] == c.NumaNode,
                $"carve-out 0x{c.Start:x}-0x{c.End - 1:x} (node {c.NumaNode}) holds memory of node {string.Join(", ", holders)}");
        }
    }
}
