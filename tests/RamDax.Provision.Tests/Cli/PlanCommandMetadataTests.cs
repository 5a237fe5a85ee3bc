using System.Text.Json;
using RamDax.Provision.Cli;
using RamDax.Provision.Tests.Metadata.Fakes;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Cli;

public sealed class PlanCommandMetadataTests
{
    // The capture was booted with memmap=2G!4G set by hand: foreign persistent memory the agent refuses to take over.
    private static readonly string WithoutHandMadeMemmap = File.ReadAllText(Fixtures.PathTo("roots/qemu-6G-memmap2G/proc/cmdline")).Replace(" memmap=2G!4G", "", StringComparison.Ordinal);

    private static (int Code, JsonDocument Plan) Plan(TempRoot root, params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandLineApp.Run(["plan", "--root", root.Path, "--format", "json", "--set", "carveout.size=1G", .. extra], output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        return (code, JsonDocument.Parse(output.ToString()));
    }

    [Fact]
    public void The_plan_names_the_instance_the_NoCloud_seed_describes()
    {
        using var root = new TempRoot()
            .CopyFixture("roots/qemu-6G-memmap2G")
            .Write("/proc/cmdline", WithoutHandMadeMemmap)
            .Write("/var/lib/cloud/seed/nocloud/meta-data", "instance-id: iid-ramdax-01\nlocal-hostname: ramdax-test\n");

        var (_, plan) = Plan(root);

        var instance = plan.RootElement.GetProperty("instance");
        Assert.Equal("iid-ramdax-01", instance.GetProperty("id").GetString());
        Assert.Equal("nocloud", instance.GetProperty("cloud").GetString());
    }

    [Fact]
    public void Offline_reads_no_metadata_and_says_so()
    {
        using var root = new TempRoot()
            .CopyFixture("roots/qemu-6G-memmap2G")
            .Write("/proc/cmdline", WithoutHandMadeMemmap)
            .Write("/var/lib/cloud/seed/nocloud/meta-data", "instance-id: iid-ramdax-01\n");

        var (_, plan) = Plan(root, "--offline");

        Assert.Equal(JsonValueKind.Null, plan.RootElement.GetProperty("instance").ValueKind);
        Assert.Contains(plan.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("--offline", StringComparison.Ordinal));
    }
}
