using System.Text.RegularExpressions;
using RamDax.Provision.Apply;
using RamDax.Provision.Boot;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Apply;

public sealed partial class CloudInitWaitTests
{
    // cloud-init 25.1's status.json while cloud-final runs (cmd/main.py status_wrapper: start and finished in seconds of uptime).
    private const string FinalRunning = """
        {"v1": {"datasource": "DataSourceNoCloud [seed=/dev/vdc]",
                "init": {"errors": [], "finished": 41.07, "recoverable_errors": {}, "start": 29.52},
                "init-local": {"errors": [], "finished": 12.3, "recoverable_errors": {}, "start": 10.96},
                "modules-config": {"errors": [], "finished": 47.9, "recoverable_errors": {}, "start": 44.1},
                "modules-final": {"errors": [], "finished": null, "recoverable_errors": {}, "start": 61.8},
                "stage": "modules-final"}}
        """;

    [Fact]
    public void Giving_up_on_cloud_init_names_the_stage_it_was_still_in()
    {
        var message = CloudInitWait.TimedOut(FinalRunning, CloudInitWait.Timeout);

        Assert.StartsWith("cloud-init had not finished after 30 min of cloud-init status --wait: it was still in its modules-final stage (cloud-final.service, started 62 s after boot)", message, StringComparison.Ordinal);
        Assert.Contains("rebooting anyway", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("""{"v1": {"stage": null}}""")]
    public void Giving_up_without_a_readable_status_says_so(string? status) =>
        Assert.Contains("/run/cloud-init/status.json does not say which stage", CloudInitWait.TimedOut(status, CloudInitWait.Timeout), StringComparison.Ordinal);

    [Fact]
    public void The_instance_unit_waits_longer_than_the_agent_may_wait_for_cloud_init_and_the_boot_configuration()
    {
        var unit = File.ReadAllText(Path.Join(Repository.Top, "templates", "systemd", "ramdax-provision-instance.service"));
        var match = TimeoutStartSec().Match(unit);
        Assert.True(match.Success, "TimeoutStartSec=Nmin is missing from the instance unit");

        // Before the reboot the unit reads metadata (metadata.budget), rebuilds the boot
        // configuration, waits for cloud-init, then loads kexec (2 min) and asks systemctl (1 min):
        // five minutes cover metadata, kexec and systemctl.
        var needed = CloudInitWait.Timeout + BootTools.RebuildTimeout + TimeSpan.FromMinutes(5);
        Assert.True(TimeSpan.FromMinutes(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) >= needed,
            $"TimeoutStartSec={match.Groups[1].Value}min is shorter than the {needed.TotalMinutes} min the agent may need");
    }

    [GeneratedRegex(@"^TimeoutStartSec=(\d+)min$", RegexOptions.Multiline)]
    private static partial Regex TimeoutStartSec();
}
