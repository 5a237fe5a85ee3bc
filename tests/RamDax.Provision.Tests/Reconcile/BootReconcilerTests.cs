using System.Text.Json;
using RamDax.Provision.Planning;
using RamDax.Provision.Output;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile;

public sealed class BootReconcilerTests : IDisposable
{
    private readonly FakeMachine _machine = new FakeMachine(driver: null).WithRegion();

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task A_warm_boot_reuses_the_namespaces_and_the_filesystem_without_creating_or_formatting_anything()
    {
        var tools = GuestTools.For(_machine)
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"))
            .Ok(ExternalTools.Blkid, ["-p", "-o", "export", "/dev/pmem0"], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));
        _machine.Touch("/dev/disk/by-uuid/f5719a36-7c26-4b2e-9121-af2765e4ba31");
        _machine.StableLink("store-ext4", "pmem0");

        var report = await BootReconciler.RunAsync(TestPlans.Ramdax(TestPlans.StoreExt4(), TestPlans.SmallDev()), _machine.Context(tools));

        Assert.Empty(tools.CallsStartingWith("ndctl create-namespace"));
        Assert.Empty(tools.CallsStartingWith("ndctl destroy-namespace"));
        Assert.Empty(tools.CallsStartingWith("mkfs"));
        Assert.Empty(tools.CallsStartingWith("wipefs"));
        Assert.True(report.AllInPlace, Describe(report));
        Assert.Equal(ItemState.Ok, Find(report, ItemKind.Namespace, "store-ext4").State);
        Assert.Equal(ItemState.Ok, Find(report, ItemKind.Namespace, "small-dev").State);
        Assert.Equal(ItemState.Ok, Find(report, ItemKind.Filesystem, "store-ext4").State);
        Assert.Equal(ItemState.Created, Find(report, ItemKind.Mount, "store-ext4").State);
        Assert.Single(tools.CallsStartingWith("systemd-mount"), c => c.EndsWith(" /dev/ramdax/store-ext4 /mnt/e", StringComparison.Ordinal));
        Assert.False(_machine.Root.Exists("/etc/systemd/system/mnt-e.mount"));
    }

    [Fact]
    public async Task Binding_writes_the_verified_recipe_and_finds_the_region_by_address()
    {
        var tools = GuestTools.For(_machine)
            .Ok(ExternalTools.Ndctl, ["list"], Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"))
            .Ok(ExternalTools.Blkid, [], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));

        var report = await BootReconciler.RunAsync(TestPlans.Ramdax(TestPlans.StoreExt4()), _machine.Context(tools));

        Assert.Equal("ramdax", _machine.Read("/sys/bus/platform/devices/e820_pmem/driver_override"));
        Assert.Equal("e820_pmem", _machine.Read("/sys/bus/platform/drivers_probe"));
        Assert.Equal("", _machine.Read("/sys/bus/platform/drivers/e820_pmem/unbind"));
        Assert.Equal("modprobe -a ramdax nd_pmem dax_pmem device_dax", tools.Calls[0]);
        var driver = Find(report, ItemKind.Driver, "ramdax");
        Assert.Equal(ItemState.Created, driver.State);
        var carveout = Find(report, ItemKind.Carveout, "2G!4G");
        Assert.Equal("region0", carveout.Target);
        Assert.Equal(ItemState.Ok, carveout.State);
    }

    [Fact]
    public async Task A_cold_boot_recreates_every_namespace_and_says_their_data_was_lost_as_expected()
    {
        var tools = GuestTools.For(_machine)
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("cold-boot-after/ndctl-list-BDRN-at-boot.json"))
            .On(ExternalTools.Ndctl, a => a[0] == "create-namespace" && a[^1] == "store-ext4",
                a => FakeToolRunner.Result(ExternalTools.Ndctl, a, 0, Fixtures.Qemu("first-boot-create/create-fsdax-ext4.json")))
            .On(ExternalTools.Ndctl, a => a[0] == "create-namespace" && a[^1] == "small-dev",
                a => FakeToolRunner.Result(ExternalTools.Ndctl, a, 0, Fixtures.Qemu("first-boot-create/create-devdax-2M.json")))
            .BlankUntilMkfs();
        var options = new ReconcileOptions { NamespacesSeenBefore = ["store-ext4", "small-dev"] };

        var report = await BootReconciler.RunAsync(TestPlans.Ramdax(TestPlans.StoreExt4(), TestPlans.SmallDev()), _machine.Context(tools, options: options));

        Assert.Equal(
            [
                "ndctl create-namespace -r region0 -m fsdax -s 536870912 -a 2097152 -n store-ext4",
                "ndctl create-namespace -r region0 -m devdax -s 134217728 -a 2097152 -n small-dev",
            ],
            tools.CallsStartingWith("ndctl create-namespace"));
        Assert.Equal(["mkfs.ext4 -q -b 4096 -E stride=512,stripe_width=512 -L store-ext4 /dev/pmem0"], tools.CallsStartingWith("mkfs"));
        Assert.Equal(ItemState.RecreatedAfterColdBoot, Find(report, ItemKind.Namespace, "store-ext4").State);
        Assert.Equal(ItemState.RecreatedAfterColdBoot, Find(report, ItemKind.Namespace, "small-dev").State);
        Assert.Contains("cold boot", Find(report, ItemKind.Namespace, "store-ext4").Reason, StringComparison.Ordinal);
        Assert.Equal(ItemState.Created, Find(report, ItemKind.Filesystem, "store-ext4").State);
        Assert.Equal(["store-ext4", "small-dev"], report.LostToColdBoot.ToArray());
        Assert.True(report.AllInPlace, Describe(report));

        var text = new StringWriter();
        ReconcileReportTextWriter.Write(report, text);
        Assert.Contains("A cold boot cleared the carve-out, as RAM does: store-ext4, small-dev were made again, empty.", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_boot_creates_the_namespaces_without_claiming_a_cold_boot()
    {
        var tools = GuestTools.For(_machine)
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("first-boot-create/ndctl-list-BDRN-at-boot.json"))
            .Ok(ExternalTools.Ndctl, ["create-namespace"], Fixtures.Qemu("first-boot-create/create-fsdax-ext4.json"))
            .BlankUntilMkfs();

        var report = await BootReconciler.RunAsync(TestPlans.Ramdax(TestPlans.StoreExt4()), _machine.Context(tools));

        Assert.Equal(ItemState.Created, Find(report, ItemKind.Namespace, "store-ext4").State);
        Assert.Empty(report.LostToColdBoot);
        Assert.Equal(ItemState.Created, Find(report, ItemKind.Mount, "store-ext4").State);
    }

    [Fact]
    public async Task The_report_is_kept_as_snake_case_json_in_the_status_file()
    {
        var tools = GuestTools.For(_machine)
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("cold-boot-after/ndctl-list-BDRN-at-boot.json"))
            .Ok(ExternalTools.Ndctl, ["create-namespace"], Fixtures.Qemu("first-boot-create/create-devdax-2M.json"));
        var options = new ReconcileOptions { NamespacesSeenBefore = ["small-dev"] };

        await BootReconciler.RunAsync(TestPlans.Ramdax(TestPlans.SmallDev()), _machine.Context(tools, options: options));

        using var status = JsonDocument.Parse(_machine.Read(ReconcileReport.StatusPath));
        var root = status.RootElement;
        Assert.True(root.GetProperty("all_in_place").GetBoolean());
        Assert.Equal("ramdax", root.GetProperty("driver").GetString()!.ToLowerInvariant());
        var ns = root.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "namespace");
        Assert.Equal("recreated_after_cold_boot", ns.GetProperty("state").GetString());
        Assert.Equal("small-dev", ns.GetProperty("name").GetString());
        Assert.Equal(["small-dev"], root.GetProperty("lost_to_cold_boot").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Nothing_is_touched_when_the_plan_has_no_carve_out()
    {
        var tools = new FakeToolRunner();

        var report = await BootReconciler.RunAsync(TestPlans.Make(DriverKind.Ramdax, TestPlans.Carveout) with { Carveouts = [] }, _machine.Context(tools));

        Assert.Empty(tools.Calls);
        Assert.Empty(report.Items);
        Assert.True(report.AllInPlace);
    }

    internal static ReconcileItem Find(ReconcileReport report, ItemKind kind, string name) =>
        report.Items.Single(i => i.Kind == kind && i.Name == name);

    internal static string Describe(ReconcileReport report) =>
        string.Join('\n', report.Items.Select(i => $"{i.Kind} {i.Name} {i.Target} {i.State}: {i.Reason}"));
}
