using Microsoft.Extensions.Logging.Abstractions;
using RamDax.Provision.Apply;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Apply;

/// <summary>
/// <c>apply --skip-reconciled</c>, as the instance unit runs it after the early unit: the every-boot
/// steps run again only when this boot's report does not already show the same plan in place.
/// </summary>
public sealed class SkipReconciledTests : IDisposable
{
    // The step reads nothing from the facts; they are the captured guest's, for a complete context.
    private static readonly MachineFacts Facts = MachineFacts.Read(new MachineRoot(Fixtures.Root("qemu-6G-memmap2G")));
    private readonly FakeMachine _machine = new FakeMachine(driver: null).WithRegion();

    public SkipReconciledTests() => _machine.Touch("/dev/disk/by-uuid/f5719a36-7c26-4b2e-9121-af2765e4ba31");

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task A_second_run_of_the_boot_with_the_same_plan_runs_no_tool_at_all()
    {
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4());
        var early = WarmBootTools();
        var first = await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(plan, early, skipReconciled: true), default);
        var later = WarmBootTools();

        var second = await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(plan, later, skipReconciled: true), default);

        Assert.Equal(StepStatus.Done, first.Status);
        Assert.Contains("ndctl list -R -N -r region0", early.Calls);
        Assert.Equal(StepStatus.AlreadyInPlace, second.Status);
        Assert.Contains("an earlier run of this boot put this plan in place", second.Detail, StringComparison.Ordinal);
        Assert.Empty(later.Calls);
    }

    [Fact]
    public async Task Without_the_option_the_second_run_checks_everything_again()
    {
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4());
        await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(plan, WarmBootTools(), skipReconciled: false), default);
        var later = WarmBootTools();

        var second = await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(plan, later, skipReconciled: false), default);

        Assert.DoesNotContain("an earlier run of this boot", second.Detail, StringComparison.Ordinal);
        Assert.Contains("ndctl list -R -N -r region0", later.Calls);
    }

    [Fact]
    public async Task A_plan_that_changed_since_the_early_run_is_reconciled()
    {
        await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(TestPlans.Ramdax(TestPlans.StoreExt4()), WarmBootTools(), skipReconciled: true), default);
        var later = WarmBootTools();
        var changed = TestPlans.Ramdax(TestPlans.StoreExt4(path: "/mnt/other"));

        await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(changed, later, skipReconciled: true), default);

        Assert.Contains("ndctl list -R -N -r region0", later.Calls);
    }

    [Fact]
    public async Task A_report_with_something_not_in_place_is_not_trusted()
    {
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4());
        // The first run finds no filesystem signature and mkfs fails: the mount is not in place.
        var failing = WarmBootTools().On(ExternalTools.Blkid, _ => true, a => FakeToolRunner.Result(ExternalTools.Blkid, a, 2))
            .On(ExternalTools.MkfsExt4, _ => true, a => FakeToolRunner.Result(ExternalTools.MkfsExt4, a, 1, stderr: "mkfs.ext4: Device size reported to be zero."));
        var first = await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(plan, failing, skipReconciled: true), default);
        var later = WarmBootTools().Ok(ExternalTools.Wipefs, ["-a", "/dev/pmem0"]).Ok(ExternalTools.MkfsExt4, []);

        await ApplyPipeline.RunStepAsync(new ReconcileStep(), Context(plan, later, skipReconciled: true), default);

        Assert.Equal(StepStatus.Failed, first.Status);
        Assert.Contains("ndctl list -R -N -r region0", later.Calls);
        // The failed mkfs left its mark: what blkid finds there now is not trusted either, and is made again.
        Assert.Contains("wipefs -a /dev/pmem0", later.Calls);
    }

    [Fact]
    public void The_plan_digest_ignores_warnings_and_the_running_command_line_but_not_the_layout()
    {
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4());
        var digest = ReconcileReport.DigestOf(plan);

        Assert.Equal(digest, ReconcileReport.DigestOf(plan with { Warnings = ["no metadata source answered"] }));
        Assert.Equal(digest, ReconcileReport.DigestOf(plan with { KernelArguments = plan.KernelArguments with { Add = ["memmap=2G!4G"] } }));
        Assert.NotEqual(digest, ReconcileReport.DigestOf(TestPlans.Ramdax(TestPlans.StoreExt4(size: 256 * ByteSize.MiB))));
        Assert.Equal(64, digest.Length);
    }

    // A warm boot as captured on the guest: the namespace is there with its ext4 filesystem.
    private FakeToolRunner WarmBootTools() => GuestTools.For(_machine)
        .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"))
        .Ok(ExternalTools.Blkid, ["-p", "-o", "export", "/dev/pmem0"], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));

    private ApplyContext Context(Plan plan, IToolRunner tools, bool skipReconciled) =>
        new(_machine.Root, plan, Facts, new NoBootloader(), new BootTools(_machine.Root, tools), new StateStore(_machine.Root),
            ProvisionState.Empty, RebootMode.Never, RunMode.CarryOut, TimeProvider.System, NullLoggerFactory.Instance)
        {
            SkipReconciled = skipReconciled,
        };
}
