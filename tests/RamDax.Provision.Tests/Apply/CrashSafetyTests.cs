using RamDax.Provision.Apply;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Support;
using static RamDax.Provision.Tests.Support.ApplyHarness;

namespace RamDax.Provision.Tests.Apply;

/// <summary>
/// A run stopped between any two steps (or in the middle of the bootloader step, between writing
/// the drop-in and update-grub) converges on the next run: the arguments appear once, and the
/// machine reboots exactly once.
/// </summary>
public sealed class CrashSafetyTests
{
    public static TheoryData<int> StopPoints()
    {
        var data = new TheoryData<int>();
        // The steps ApplyHarness runs: every step of apply but the every-boot ones (no e820_pmem in a GRUB root).
        for (var k = 0; k < Applier.Steps().Count(s => s is not ReconcileStep); k++)
        {
            data.Add(k);
        }

        return data;
    }

    [HostTheory(true, "mount", "umount", "chroot", "update-grub", "grub-mkconfig", "grub-probe")]
    [MemberData(nameof(StopPoints))]
    public async Task A_run_stopped_after_any_step_converges_on_the_next_run_with_one_reboot(int stopAfter)
    {
        using var root = new GrubTestRoot();
        var runner = FakeToolRunner.WithRealChroot();

        // Later steps only run on the boot after the reboot: keep booting until the run stops there.
        var stopped = false;
        for (var run = 0; run < 3 && !stopped; run++)
        {
            try
            {
                var (report, _) = await RunApply(root, runner, arrange: steps => [.. steps.Select((s, i) => i == stopAfter ? new StopAfter(s) : s)]);
                Assert.Equal(RunResult.Rebooting, report.Result);
                root.BootFromGrubCfg();
            }
            catch (OperationCanceledException)
            {
                stopped = true;
            }
        }

        Assert.True(stopped, $"step {stopAfter} never ran");
        await RunUntilConverged(root, runner);
    }

    [HostFact(true, "mount", "umount", "chroot", "update-grub", "grub-mkconfig", "grub-probe")]
    public async Task A_run_stopped_between_writing_the_drop_in_and_update_grub_converges_on_the_next_run()
    {
        using var root = new GrubTestRoot();
        var runner = FakeToolRunner.WithRealChroot();
        runner.BeforeRun = (tool, _) => throw new OperationCanceledException($"stopped before {tool}");

        await Assert.ThrowsAsync<OperationCanceledException>(() => RunApply(root, runner));
        Assert.True(File.Exists(root.Combine("etc/default/grub.d/ramdax-provision.cfg")));
        Assert.False(File.Exists(root.Combine("boot/grub/grub.cfg")));

        runner.BeforeRun = null;
        await RunUntilConverged(root, runner);
    }

    /// <summary>Runs apply, booting from the generated grub.cfg whenever it asks for a reboot, until it converges.</summary>
    private static async Task RunUntilConverged(GrubTestRoot root, FakeToolRunner runner)
    {
        if (runner.Reboots == 1 && !File.ReadAllText(root.Combine("proc/cmdline")).Contains("memmap=", StringComparison.Ordinal))
        {
            root.BootFromGrubCfg(); // the stopped run had already asked for the reboot: it happens
        }

        for (var run = 0; run < 4; run++)
        {
            var rebootsBefore = runner.Reboots;
            var (report, output) = await RunApply(root, runner);
            Assert.True(report.ExitCode == 0, output);
            if (report.Result == RunResult.Converged)
            {
                break;
            }

            Assert.Equal(RunResult.Rebooting, report.Result);
            Assert.Equal(rebootsBefore + 1, runner.Reboots);
            root.BootFromGrubCfg();
        }

        Assert.Equal(RunResult.Converged, ReadState(root).LastRun!.Result);
        Assert.Equal(1, runner.Reboots);
        var dropIn = File.ReadAllText(root.Combine("etc/default/grub.d/ramdax-provision.cfg"));
        Assert.Single(dropIn.Split('\n'), l => l.StartsWith("GRUB_CMDLINE_LINUX_DEFAULT=", StringComparison.Ordinal));
        Assert.All(root.GrubCfgNormalLines(), l => Assert.Equal(Wanted2G, l.Where(a => Wanted2G.Contains(a) || a.StartsWith("memmap=", StringComparison.Ordinal))));
        var live = File.ReadAllText(root.Combine("proc/cmdline")).Split(' ', StringSplitOptions.TrimEntries);
        Assert.Equal(Wanted2G, live.Where(a => Wanted2G.Contains(a)));
    }

    /// <summary>Runs a step, then stops the run as a crash or a kill would, before the next step.</summary>
    private sealed class StopAfter(IApplyStep inner) : IApplyStep
    {
        public string Name => inner.Name;

        public StepDecision Decide(ApplyContext context)
        {
            var decision = inner.Decide(context);
            return StepDecision.Act($"{inner.Name}, then stop", async cancellationToken =>
            {
                if (decision.Action is { } action)
                {
                    await action.CarryOutAsync(cancellationToken);
                }

                throw new OperationCanceledException($"stopped after {inner.Name}");
            });
        }
    }
}
