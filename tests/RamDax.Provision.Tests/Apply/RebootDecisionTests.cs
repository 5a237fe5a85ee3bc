using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using RamDax.Provision.Apply;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tests.Support;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Apply;

/// <summary>
/// The reboot step's decisions and its loop guard, without root: a machine root in a temporary
/// directory, a bootloader that says whether the next boot has the arguments, and a runner that
/// records what systemctl was asked.
/// </summary>
public sealed class RebootDecisionTests : IDisposable
{
    private static readonly ImmutableArray<string> Wanted = ["memmap=2G!5G", "modprobe.blacklist=nd_e820"];
    private static readonly MachineFacts Facts = MachineFacts.Read(new MachineRoot(Fixtures.Root("qemu-6G-memmap2G")));
    private readonly TempRoot _root = new();
    private readonly FakeToolRunner _runner = new FakeToolRunner().Ok(ExternalTools.Systemctl, ["reboot", "--no-block"]);

    public RebootDecisionTests() => _root.Write(ApplyContext.BootIdPath, "this-boot\n");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Arguments_the_boot_configuration_carries_but_the_kernel_lacks_bring_one_reboot_and_its_marker()
    {
        var context = Context(configured: true);

        var outcome = await ApplyPipeline.RunStepAsync(new RebootStep(), context, default);

        Assert.Equal(StepStatus.Rebooting, outcome.Status);
        Assert.Equal(["systemctl reboot --no-block"], _runner.Calls);
        var saved = new StateStore(_root.Root).Read().KernelArguments;
        Assert.Equal(RebootState.Requested, saved.Reboot);
        Assert.Equal(Wanted, saved.RebootedFor);
        Assert.Equal("this-boot", saved.RebootRequestedInBoot);
    }

    [Fact]
    public async Task A_boot_after_the_reboot_that_still_lacks_the_arguments_fails_and_does_not_reboot_again()
    {
        var context = Context(configured: true, Marked("an-earlier-boot"));

        var error = await Assert.ThrowsAsync<BootConfigurationException>(() => ApplyPipeline.RunStepAsync(new RebootStep(), context, default));

        Assert.Contains("Not rebooting again", error.Message, StringComparison.Ordinal);
        Assert.Empty(_runner.Calls);
        Assert.Equal(RebootState.Failed, new StateStore(_root.Root).Read().KernelArguments.Reboot);
    }

    [Fact]
    public async Task A_run_stopped_between_the_marker_and_the_reboot_reboots_on_its_next_try_in_the_same_boot()
    {
        var context = Context(configured: true, Marked("this-boot"));

        var outcome = await ApplyPipeline.RunStepAsync(new RebootStep(), context, default);

        Assert.Equal(StepStatus.Rebooting, outcome.Status);
        Assert.Equal(["systemctl reboot --no-block"], _runner.Calls);
    }

    [Fact]
    public async Task With_reboot_never_the_reboot_is_left_pending_and_nothing_is_asked_of_systemd()
    {
        var context = Context(configured: true, reboot: RebootMode.Never);

        var outcome = await ApplyPipeline.RunStepAsync(new RebootStep(), context, default);

        Assert.Equal(StepStatus.Pending, outcome.Status);
        Assert.Contains("reboot: never", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(_runner.Calls);
        Assert.Equal(RebootState.Pending, new StateStore(_root.Root).Read().KernelArguments.Reboot);
    }

    [Fact]
    public async Task A_dry_run_says_it_would_reboot_and_neither_reboots_nor_writes_the_marker()
    {
        var context = Context(configured: true, mode: RunMode.DryRun);

        var outcome = await ApplyPipeline.RunStepAsync(new RebootStep(), context, default);

        Assert.Equal(StepStatus.Pending, outcome.Status);
        Assert.Equal("dry run: would reboot (auto) for memmap=2G!5G modprobe.blacklist=nd_e820", outcome.Detail);
        Assert.Empty(_runner.Calls);
        Assert.False(_root.Root.Exists(StateStore.StatePath));
    }

    [Fact]
    public async Task A_boot_configuration_without_the_arguments_is_never_rebooted_into()
    {
        var context = Context(configured: false);

        var error = await Assert.ThrowsAsync<BootConfigurationException>(() => ApplyPipeline.RunStepAsync(new RebootStep(), context, default));

        Assert.Contains("not rebooting", error.Message, StringComparison.Ordinal);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task Arguments_the_running_kernel_has_clear_an_old_marker_and_need_no_reboot()
    {
        var context = Context(configured: true, Marked("an-earlier-boot"), satisfied: true);

        var outcome = await ApplyPipeline.RunStepAsync(new RebootStep(), context, default);

        Assert.Equal(StepStatus.AlreadyInPlace, outcome.Status);
        Assert.Empty(_runner.Calls);
        var saved = new StateStore(_root.Root).Read().KernelArguments;
        Assert.Equal(RebootState.NotNeeded, saved.Reboot);
        Assert.Null(saved.RebootedFor);
    }

    private static ProvisionState Marked(string boot) => ProvisionState.Empty with
    {
        KernelArguments = new KernelArgumentState { Wanted = Wanted, Reboot = RebootState.Requested, RebootedFor = Wanted, RebootRequestedInBoot = boot },
    };

    private ApplyContext Context(bool configured, ProvisionState? state = null, RebootMode reboot = RebootMode.Auto, RunMode? mode = null, bool satisfied = false)
    {
        var plan = TestPlans.Ramdax() with { KernelArguments = new KernelArgumentChanges(Wanted, satisfied ? [] : Wanted, []) };
        return new(_root.Root, plan, Facts, new StubBootloader(configured), new BootTools(_root.Root, _runner), new StateStore(_root.Root),
            state ?? ProvisionState.Empty, reboot, mode ?? RunMode.CarryOut, TimeProvider.System, NullLoggerFactory.Instance);
    }

    // Says whether the next boot gets the arguments; the reboot step never writes the boot configuration.
    private sealed class StubBootloader(bool configured) : IBootloader
    {
        public BootloaderKind Kind => BootloaderKind.Grub;

        public string Description => "GRUB drop-in (stub)";

        public IReadOnlyList<string> Files => ["/etc/default/grub.d/ramdax-provision.cfg"];

        public bool IsConfigured(KernelArgumentTarget target) => configured;

        public Task<BootloaderChange> ConfigureAsync(KernelArgumentTarget target, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the reboot step does not configure the bootloader");
    }
}
