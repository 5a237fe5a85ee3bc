using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        var map = FirmwareMemoryMap.ParseE820Log(log);
        var settings = Settings(File.ReadAllText(Path.Join(dir, "config.yaml")));

        var json = JsonSerializer.Serialize(Planner.Make(Facts(map, numa: NodesOf(log)), settings), ProvisionJsonContext.Default.Plan) + "\n";

        var expectedPath = Path.Join(dir, "expected-plan.json");
        if (Environment.GetEnvironmentVariable("RAMDAX_UPDATE_FIXTURES") == "1")
        {
            File.WriteAllText(expectedPath, json);
        }

        Assert.Equal(File.ReadAllText(expectedPath), json);
    }

    // The boot log's "Early memory node ranges" (node N: [mem 0xSTART-0xEND]): the memory each
    // node's memory blocks cover, as /sys/devices/system/node/nodeN/memoryM would list it.
    private static NumaTopology NodesOf(string log)
    {
        var nodes = new Dictionary<int, List<MemoryRange>>();
        foreach (Match m in Regex.Matches(log, @"node\s+(\d+): \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\]"))
        {
            var node = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var start = ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) + 1;
            (nodes.TryGetValue(node, out var list) ? list : nodes[node] = []).Add(new MemoryRange(start, end));
        }

        return nodes.Count == 0 ? NumaTopology.None : new NumaTopology(nodes.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray()));
    }
}
