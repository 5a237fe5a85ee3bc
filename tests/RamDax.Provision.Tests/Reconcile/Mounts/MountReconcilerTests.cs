using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Reconcile.Mounts;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Reconcile.Mounts;

public sealed class MountReconcilerTests : IDisposable
{
    private static readonly BlkidSignature Ext4 = BlkidSignature.Parse(Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));
    private readonly FakeMachine _machine = new();

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task A_mount_that_comes_up_without_dax_is_an_error_and_is_stopped()
    {
        var tools = GuestTools.For(_machine).On(ExternalTools.Systemctl, a => a[0] == "start", a =>
        {
            _machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo).Replace(",dax=always", "", StringComparison.Ordinal));
            return FakeToolRunner.Result(ExternalTools.Systemctl, a, 0);
        });

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([Filesystem()], _machine.Context(tools), default));

        Assert.Equal(ItemState.Failed, outcome.Item.State);
        Assert.Contains("without DAX", outcome.Item.Reason, StringComparison.Ordinal);
        Assert.Contains("systemctl stop mnt-e.mount", tools.Calls);
        Assert.Empty(tools.CallsStartingWith("chown"));
    }

    [Fact]
    public async Task A_filesystem_already_mounted_with_dax_is_left_mounted_and_gets_its_owner_and_mode()
    {
        _machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo));
        var tools = GuestTools.For(_machine);
        var mount = TestPlans.StoreExt4().Mount! with { Owner = "app", Group = "staff", Mode = "2770" };
        var fs = Filesystem() with { Planned = TestPlans.StoreExt4() with { Mount = mount } };

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([fs], _machine.Context(tools), default));

        Assert.Empty(tools.CallsStartingWith("systemctl start"));
        Assert.Equal(ItemState.Ok, outcome.Item.State);
        var target = _machine.Root.Resolve("/mnt/e");
        Assert.Contains($"chown app:staff {target}", tools.Calls);
        Assert.Contains($"chmod 2770 {target}", tools.Calls);
    }

    [Fact]
    public async Task Another_device_on_the_mount_point_is_left_alone()
    {
        _machine.WithMountInfo("56 33 8:1 / /mnt/e rw,relatime shared:61 - ext4 /dev/sda1 rw\n");
        var tools = GuestTools.For(_machine);

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([Filesystem()], _machine.Context(tools), default));

        Assert.Equal(ItemState.Drifted, outcome.Item.State);
        Assert.Empty(tools.CallsStartingWith("systemctl start"));
    }

    [Fact]
    public async Task An_unchanged_unit_does_not_reload_systemd()
    {
        var tools = GuestTools.For(_machine);
        await MountReconciler.ReconcileAsync([Filesystem()], _machine.Context(tools), default);
        var again = GuestTools.For(_machine);

        await MountReconciler.ReconcileAsync([Filesystem()], _machine.Context(again), default);

        Assert.Contains("systemctl daemon-reload", tools.Calls);
        Assert.DoesNotContain("systemctl daemon-reload", again.Calls);
    }

    private static FilesystemOutcome Filesystem() =>
        new(TestPlans.StoreExt4(), "/dev/pmem0", Ext4, new ReconcileItem(ItemKind.Filesystem, "store-ext4", "/dev/pmem0", ItemState.Ok, "kept"));
}
