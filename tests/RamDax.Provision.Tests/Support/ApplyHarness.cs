using Microsoft.Extensions.Time.Testing;
using RamDax.Provision.Apply;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.State;

namespace RamDax.Provision.Tests.Support;

/// <summary>Runs apply against a test root the way the command does, with a recording tool runner.</summary>
public static class ApplyHarness
{
    public static readonly string[] Wanted2G = ["memmap=2G!5G", "modprobe.blacklist=nd_e820"];

    public static async Task<(ApplyReport Report, string Output)> RunApply(
        GrubTestRoot root,
        FakeToolRunner runner,
        RebootMode reboot = RebootMode.Auto,
        string size = "2G",
        Func<IReadOnlyList<IApplyStep>, IReadOnlyList<IApplyStep>>? arrange = null,
        bool dryRun = false)
    {
        var output = new StringWriter();
        using var logs = TestLogs.Over(output);
        // A test root has no metadata service: the local layers alone.
        var applier = new Applier(runner, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)), logs) { Metadata = MetadataSources.None };
        // These runs prove the boot configuration on a GRUB root that has no e820_pmem device; the
        // every-boot steps have their own tests (Reconcile/, SkipReconciledTests) and the guests.
        var boot = arrange ?? (steps => steps);
        var report = await applier.RunAsync(
            new ApplyRequest(root.Machine, [], [$"carveout.size={size}"], reboot, dryRun),
            steps => boot([.. steps.Where(s => s is not ReconcileStep)]));
        return (report, output.ToString());
    }

    public static ProvisionState ReadState(GrubTestRoot root) => new StateStore(root.Machine).Read();
}
