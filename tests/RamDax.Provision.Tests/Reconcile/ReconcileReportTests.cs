using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;

namespace RamDax.Provision.Tests.Reconcile;

public sealed class ReconcileReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_later_run_in_the_same_boot_keeps_what_the_early_run_made()
    {
        var early = new ReconcileReport(DriverKind.Ramdax, Now, [
            new(ItemKind.Namespace, "store", "namespace0.0", ItemState.RecreatedAfterColdBoot, "the region came back blank"),
            new(ItemKind.Filesystem, "store", "/dev/pmem0", ItemState.Created, "made ext4"),
            new(ItemKind.Mount, "store", "/mnt/store", ItemState.Created, "mounted"),
        ]);
        var later = new ReconcileReport(DriverKind.Ramdax, Now.AddMinutes(1), [
            new(ItemKind.Namespace, "store", "namespace0.0", ItemState.Ok, "reused"),
            new(ItemKind.Filesystem, "store", "/dev/pmem0", ItemState.Ok, "kept"),
            new(ItemKind.Mount, "store", "/mnt/store", ItemState.Failed, "not mounted"),
        ]);

        var merged = later.KeepingChangesOf(early);

        Assert.Equal([ItemState.RecreatedAfterColdBoot, ItemState.Created, ItemState.Failed], merged.Items.Select(i => i.State));
        Assert.Equal("the region came back blank", merged.Items[0].Reason);
        Assert.Equal<string>(["store"], merged.LostToColdBoot);
        Assert.False(merged.AllInPlace);
    }

    [Fact]
    public void Without_an_earlier_run_the_report_is_unchanged()
    {
        var report = new ReconcileReport(DriverKind.Ramdax, Now, [new(ItemKind.Namespace, "a", null, ItemState.Ok, "reused")]);

        Assert.Same(report, report.KeepingChangesOf(null));
    }

    [Fact]
    public void Log_lines_and_tables_name_each_state_as_the_json_report_does()
    {
        foreach (var state in Enum.GetValues<ItemState>())
        {
            Assert.Equal($"\"{state.Word()}\"", System.Text.Json.JsonSerializer.Serialize(state, RamDax.Provision.Output.ProvisionJsonContext.Default.ItemState));
        }
    }
}
