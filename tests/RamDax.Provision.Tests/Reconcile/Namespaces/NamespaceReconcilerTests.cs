using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Binding;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Namespaces;

public sealed class NamespaceReconcilerTests : IDisposable
{
    // Held by ramdax, with the namespace drivers loaded, as on a host that has booted with them.
    private readonly FakeMachine _machine = new FakeMachine().WithRegion().WithNamespaceDrivers();

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task A_drifted_namespace_is_left_alone_and_its_filesystem_is_not_attempted()
    {
        var tools = Listing("first-boot-create/ndctl-list-RN-after-create.json");
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4(size: ByteSize.GiB));

        var report = await BootReconciler.RunAsync(plan, _machine.Context(Bound(tools)));

        Assert.Empty(tools.CallsStartingWith("ndctl create-namespace"));
        Assert.Empty(tools.CallsStartingWith("ndctl destroy-namespace"));
        Assert.Empty(tools.CallsStartingWith("blkid"));
        Assert.Equal(ItemState.Drifted, BootReconcilerTests.Find(report, ItemKind.Namespace, "store-ext4").State);
        Assert.Contains("not attempted", BootReconcilerTests.Find(report, ItemKind.Filesystem, "store-ext4").Reason, StringComparison.Ordinal);
        Assert.False(report.AllInPlace);
    }

    [Fact]
    public async Task A_mounted_namespace_is_never_destroyed_even_when_reconfigure_is_set()
    {
        _machine.WithMountInfo(Fixtures.Qemu("first-boot-create/mountinfo-dax.txt"));
        var tools = Listing("first-boot-create/ndctl-list-RN-after-create.json");
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4(size: ByteSize.GiB, reconfigure: true));

        var result = await NamespaceReconciler.ReconcileAsync(plan, BindingOf(plan), _machine.Context(tools), default);

        Assert.Empty(tools.CallsStartingWith("ndctl destroy-namespace"));
        Assert.Empty(tools.CallsStartingWith("ndctl create-namespace"));
        Assert.Equal(ItemState.Drifted, result.Outcomes[0].Item.State);
    }

    [Fact]
    public async Task A_drifted_namespace_with_reconfigure_is_destroyed_then_created_again()
    {
        var tools = Listing("first-boot-create/ndctl-list-RN-after-create.json")
            .Ok(ExternalTools.Ndctl, ["destroy-namespace"])
            .Ok(ExternalTools.Ndctl, ["create-namespace"], Fixtures.Qemu("first-boot-create/create-fsdax-ext4.json"))
            .Ok(ExternalTools.Udevadm, ["settle"]);
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4(size: ByteSize.GiB, reconfigure: true));

        var result = await NamespaceReconciler.ReconcileAsync(plan, BindingOf(plan), _machine.Context(tools), default);

        Assert.Equal(
            [
                "ndctl destroy-namespace -f namespace0.0",
                "ndctl create-namespace -r region0 -m fsdax -s 1073741824 -a 2097152 -n store-ext4",
            ],
            tools.Calls.Where(c => c.StartsWith("ndctl destroy", StringComparison.Ordinal) || c.StartsWith("ndctl create", StringComparison.Ordinal)));
        Assert.Equal(ItemState.Created, result.Outcomes[0].Item.State);
        Assert.Contains("reconfigured", result.Outcomes[0].Item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_create_says_which_namespace_and_what_ndctl_said()
    {
        var tools = Listing("cold-boot-after/ndctl-list-BDRN-at-boot.json")
            .Exit(ExternalTools.Ndctl, ["create-namespace"], 237, stderr: Fixtures.Qemu("first-boot-create/create-too-large.err"));
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4(size: 64 * ByteSize.GiB));

        var result = await NamespaceReconciler.ReconcileAsync(plan, BindingOf(plan), _machine.Context(tools), default);

        var item = result.Outcomes[0].Item;
        Assert.Equal(ItemState.Failed, item.State);
        Assert.StartsWith("create namespace 'store-ext4' failed: ", item.Reason, StringComparison.Ordinal);
        Assert.Contains("No space left on device", item.Reason, StringComparison.Ordinal);
    }

    // The UEFI guest's namespaces as the agent made them from scenarios/baked.yaml (memmap=2G!5G).
    private static Plan UefiGuestPlan(ulong ext4Size = 512 * ByteSize.MiB)
    {
        var ext4 = TestPlans.StoreExt4(size: ext4Size) with { Name = "e2e-ext4" };
        var xfs = TestPlans.StoreXfs() with { Name = "e2e-xfs", Size = ByteSize.GiB, UsableSize = NamespaceCapacity.Usable(ByteSize.GiB, 2 * ByteSize.MiB) };
        var dev = TestPlans.SmallDev() with { Name = "e2e-dev", Size = 256 * ByteSize.MiB, UsableSize = NamespaceCapacity.Usable(256 * ByteSize.MiB, 2 * ByteSize.MiB) };
        return TestPlans.Ramdax(ext4, xfs, dev);
    }

    [Fact]
    public async Task A_converged_region_is_read_from_sysfs_and_reused_without_running_ndctl()
    {
        using var machine = new FakeMachine().WithNdSysfs("qemu-debian13-7.3.4-uefi-os-prober/sys-bus-nd-devices");
        var tools = new FakeToolRunner();
        var plan = UefiGuestPlan();

        var result = await NamespaceReconciler.ReconcileAsync(plan, BindingOf(plan), machine.Context(tools), default);

        Assert.Empty(tools.Calls);
        Assert.All(result.Outcomes, o => Assert.Equal(ItemState.Ok, o.Item.State));
        Assert.Equal(["/dev/pmem0", "/dev/pmem0.1", "/dev/dax0.2"], result.Outcomes.Select(o => o.Actual!.DevicePath));
    }

    [Fact]
    public async Task When_sysfs_shows_something_to_change_the_decision_is_made_again_from_ndctl_list()
    {
        // e2e-ext4 asked 1 GiB where the guest has 512 MiB: drift, which only ndctl's listing decides on.
        using var machine = new FakeMachine().WithNdSysfs("qemu-debian13-7.3.4-uefi-os-prober/sys-bus-nd-devices");
        var tools = new FakeToolRunner().Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Read("qemu-debian13-7.3.4-uefi-os-prober/ndctl-list.json"));
        var plan = UefiGuestPlan(ext4Size: ByteSize.GiB);

        var result = await NamespaceReconciler.ReconcileAsync(plan, BindingOf(plan), machine.Context(tools), default);

        Assert.Equal(["ndctl list -R -N -r region0"], tools.Calls);
        Assert.Equal([ItemState.Drifted, ItemState.Ok, ItemState.Ok], result.Outcomes.Select(o => o.Item.State));
        Assert.Contains("Information: region0 as sysfs shows it is not all in place (namespace 'e2e-ext4' is to be left drifted); reading it with ndctl list", machine.LogLines);
    }

    [Fact]
    public async Task When_sysfs_cannot_be_read_ndctl_is_asked_and_the_boot_goes_on()
    {
        using var machine = new FakeMachine().WithNdSysfs("qemu-debian13-7.3.4-uefi-os-prober/sys-bus-nd-devices");
        // A size that is not a regular file (BoundedFile refuses it rather than block).
        var size = machine.Root.Resolve("/sys/bus/nd/devices/pfn0.0/size");
        File.Delete(size);
        Directory.CreateDirectory(size);
        var tools = new FakeToolRunner().Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Read("qemu-debian13-7.3.4-uefi-os-prober/ndctl-list.json"));
        var plan = UefiGuestPlan();

        var result = await NamespaceReconciler.ReconcileAsync(plan, BindingOf(plan), machine.Context(tools), default);

        Assert.Equal(["ndctl list -R -N -r region0"], tools.Calls);
        Assert.All(result.Outcomes, o => Assert.Equal(ItemState.Ok, o.Item.State));
    }

    private static FakeToolRunner Listing(string capture) =>
        new FakeToolRunner().Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu(capture));

    private static FakeToolRunner Bound(FakeToolRunner tools) => tools.Ok(ExternalTools.Udevadm, []);

    private static BindingResult BindingOf(Provision.Planning.Plan plan) =>
        new(new ReconcileItem(ItemKind.Driver, "ramdax", "e820_pmem", ItemState.Ok, "bound"),
            [new CarveoutRegion(0, plan.Carveouts[0], new NdRegion("region0", TestPlans.Start, 2 * ByteSize.GiB), new ReconcileItem(ItemKind.Carveout, "2G!4G", "region0", ItemState.Ok, "found"))]);
}
