using RamDax.Provision.Output;
using System.Text.Json;
using RamDax.Provision.State;
using RamDax.Provision.Status;
using RamDax.Provision.Tests.Support;
using static RamDax.Provision.Tests.Support.ApplyHarness;

namespace RamDax.Provision.Tests.Apply;

/// <summary>At most one reboot per wanted state: a reboot that did not bring the arguments is reported, not repeated.</summary>
public sealed class LoopGuardTests
{
    [HostFact(true, "mount", "umount", "chroot", "update-grub", "grub-mkconfig", "grub-probe")]
    public async Task A_reboot_that_did_not_bring_the_arguments_is_an_error_and_no_second_reboot()
    {
        using var root = new GrubTestRoot();
        var runner = FakeToolRunner.WithRealChroot();
        await RunApply(root, runner);
        Assert.Equal(1, runner.Reboots);

        root.Boot(GrubTestRoot.CapturedCmdline); // the machine came back without the arguments
        var (report, output) = await RunApply(root, runner);

        Assert.Equal(RunResult.Failed, report.Result);
        Assert.Equal(ExitCodes.Failed, report.ExitCode);
        Assert.Equal(1, runner.Reboots);
        Assert.Contains("GRUB drop-in /etc/default/grub.d/ramdax-provision.cfg", report.Message, StringComparison.Ordinal);
        Assert.Contains("memmap=2G!5G modprobe.blacklist=nd_e820", report.Message, StringComparison.Ordinal);
        Assert.Contains("/boot/grub/grub.cfg", report.Message, StringComparison.Ordinal);
        Assert.Contains("Not rebooting again", output, StringComparison.Ordinal);
        var state = ReadState(root);
        Assert.Equal(RebootState.Failed, state.KernelArguments.Reboot);
        Assert.Contains("Not rebooting again", state.KernelArguments.Error, StringComparison.Ordinal);

        var (again, _) = await RunApply(root, runner);
        Assert.Equal(RunResult.Failed, again.Result);
        Assert.Equal(1, runner.Reboots);

        var status = StatusReader.Read(root.Machine, runner);
        Assert.Equal(RebootState.Failed, status.KernelArguments.Reboot);
        Assert.Equal(Wanted2G, status.KernelArguments.Missing.ToArray());
        Assert.Null(status.Reconcile);
        var json = JsonSerializer.Serialize(status, ProvisionJsonContext.Default.StatusReport);
        Assert.Contains("\"reboot\": \"failed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reconcile\": null", json, StringComparison.Ordinal);
    }

    [HostFact(true, "mount", "umount", "chroot", "update-grub", "grub-mkconfig", "grub-probe")]
    public async Task Clean_forgets_the_reboot_marker_but_keeps_the_owned_arguments()
    {
        using var root = new GrubTestRoot();
        var runner = FakeToolRunner.WithRealChroot();
        await RunApply(root, runner);

        var exit = Provision.Apply.InstanceStateCleaner.Run(root.Machine, new StringWriter());

        Assert.Equal(0, exit);
        var state = ReadState(root);
        Assert.Null(state.KernelArguments.RebootedFor);
        Assert.Null(state.LastRun);
        Assert.Equal(Wanted2G, state.KernelArguments.Owned.ToArray());
    }
}
