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
        [.. Directory.GetDirectories(Repository.Fixture("machines")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Machines))]
    public void Each_real_machine_gets_its_reviewed_plan(string machine)
    {
        var dir = Repository.Fixture(Path.Join("machines", machine));
        var map = FirmwareMemoryMap.ParseE820Log(File.ReadAllText(Path.Join(dir, "e820.txt")));
        var settings = Settings(File.ReadAllText(Path.Join(dir, "config.yaml")));

        var json = JsonSerializer.Serialize(Planner.Make(Facts(map), settings), ProvisionJsonContext.Default.Plan) + "\n";

        var expectedPath = Path.Join(dir, "expected-plan.json");
        if (Environment.GetEnvironmentVariable("RAMDAX_UPDATE_FIXTURES") == "1")
        {
            File.WriteAllText(expectedPath, json);
        }

        Assert.Equal(File.ReadAllText(expectedPath), json);
    }
}
