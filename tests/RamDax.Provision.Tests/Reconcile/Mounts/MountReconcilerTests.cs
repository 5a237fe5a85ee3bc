using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Files;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Reconcile.Mounts;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Planning;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Mounts;

public sealed class MountReconcilerTests : IDisposable
{
    private static readonly BlkidSignature Ext4 = BlkidSignature.Parse(Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));
    private readonly FakeMachine _machine = new();

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task A_mount_that_comes_up_without_dax_is_an_error_and_is_stopped()
    {
        var tools = GuestTools.For(_machine).On(ExternalTools.SystemdMount, _ => true, a =>
        {
            _machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo).Replace(",dax=always", "", StringComparison.Ordinal));
            return FakeToolRunner.Result(ExternalTools.SystemdMount, a, 0);
        });

        var before = FileOwnership.Read(_machine.Root.Resolve("/mnt/e"));
        var fs = Filesystem() with { Planned = TestPlans.StoreExt4() with { Mount = TestPlans.StoreExt4().Mount! with { Mode = "0700" } } };

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([fs], DriverKind.Ramdax, _machine.Context(tools), default));

        Assert.Equal(ItemState.Failed, outcome.Item.State);
        Assert.Contains("without DAX", outcome.Item.Reason, StringComparison.Ordinal);
        Assert.Contains("systemctl stop mnt-e.mount", tools.Calls);
        Assert.Equal(before, FileOwnership.Read(_machine.Root.Resolve("/mnt/e")));
    }

    [Fact]
    public async Task A_filesystem_already_mounted_with_dax_is_left_mounted_and_gets_its_owner_and_mode()
    {
        _machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo));
        _machine.Write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\napp:x:1234:1234::/srv/app:/usr/sbin/nologin\n");
        _machine.Write("/etc/group", "root:x:0:\nstaff:x:50:app\n");
        var tools = GuestTools.For(_machine);
        var mount = TestPlans.StoreExt4().Mount! with { Owner = "app", Group = "staff", Mode = "2770" };
        var fs = Filesystem() with { Planned = TestPlans.StoreExt4() with { Mount = mount } };

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([fs], DriverKind.Ramdax, _machine.Context(tools), default));

        Assert.Empty(tools.CallsStartingWith("systemd-mount"));
        Assert.Equal(ItemState.Ok, outcome.Item.State);
        // By chown(2) and chmod(2): no process, and the set-group-ID bit survives the chown.
        Assert.Equal(new FileOwnership(1234, 50, (UnixFileMode)Convert.ToInt32("2770", 8)), FileOwnership.Read(_machine.Root.Resolve("/mnt/e")));
        Assert.DoesNotContain(tools.Calls, c => c.StartsWith("chown", StringComparison.Ordinal) || c.StartsWith("chmod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_owner_the_machine_does_not_have_fails_the_mount_item_by_name_and_changes_nothing()
    {
        _machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo));
        var before = FileOwnership.Read(_machine.Root.Resolve("/mnt/e"));
        var mount = TestPlans.StoreExt4().Mount! with { Owner = "ghost", Mode = "0700" };
        var fs = Filesystem() with { Planned = TestPlans.StoreExt4() with { Mount = mount } };

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([fs], DriverKind.Ramdax, _machine.Context(GuestTools.For(_machine)), default));

        Assert.Equal(ItemState.Failed, outcome.Item.State);
        Assert.Contains("user 'ghost' is not in /etc/passwd; create it first", outcome.Item.Reason, StringComparison.Ordinal);
        Assert.Equal(before, FileOwnership.Read(_machine.Root.Resolve("/mnt/e")));
    }

    [Fact]
    public async Task Numeric_owners_and_groups_are_taken_as_they_are()
    {
        _machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo));
        var mount = TestPlans.StoreExt4().Mount! with { Owner = "4242", Group = "4343", Mode = "0750" };
        var fs = Filesystem() with { Planned = TestPlans.StoreExt4() with { Mount = mount } };

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([fs], DriverKind.Ramdax, _machine.Context(GuestTools.For(_machine)), default));

        Assert.Equal(ItemState.Ok, outcome.Item.State);
        Assert.Equal(new FileOwnership(4242, 4343, (UnixFileMode)Convert.ToInt32("0750", 8)), FileOwnership.Read(_machine.Root.Resolve("/mnt/e")));
    }

    [Fact]
    public async Task Another_device_on_the_mount_point_is_left_alone()
    {
        _machine.WithMountInfo("56 33 8:1 / /mnt/e rw,relatime shared:61 - ext4 /dev/sda1 rw\n");
        var tools = GuestTools.For(_machine);

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([Filesystem()], DriverKind.Ramdax, _machine.Context(tools), default));

        Assert.Equal(ItemState.Drifted, outcome.Item.State);
        Assert.Empty(tools.CallsStartingWith("systemd-mount"));
    }

    [Fact]
    public async Task Mounts_that_are_not_up_are_mounted_side_by_side_as_transient_units_and_each_is_checked()
    {
        var ext4 = Fixtures.Qemu(FakeMachine.CapturedMountInfo);
        // The XFS line as the guest showed it for the second namespace (pmem0.1, 259:1).
        const string Xfs = "57 33 259:1 / /mnt/x rw,relatime shared:62 - xfs /dev/pmem0.1 rw,attr2,inode64,logbufs=8,logbsize=32k,sunit=4096,swidth=4096,noquota,dax=always\n";
        var started = 0;
        var tools = GuestTools.For(_machine).On(ExternalTools.SystemdMount, _ => true, a =>
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                _machine.WithMountInfo(ext4 + Xfs);
            }

            return FakeToolRunner.Result(ExternalTools.SystemdMount, a, 0);
        });

        var outcomes = await MountReconciler.ReconcileAsync([Filesystem(), XfsFilesystem()], DriverKind.Ramdax, _machine.Context(tools), default);

        Assert.Equal(2, tools.CallsStartingWith("systemd-mount").Count);
        Assert.All(outcomes, o => Assert.Equal(ItemState.Created, o.Item.State));
        Assert.Equal(["/mnt/e", "/mnt/x"], outcomes.Select(o => o.Item.Target));
        Assert.Empty(tools.CallsStartingWith("systemctl"));
        Assert.False(_machine.Root.Exists("/etc/systemd/system/mnt-e.mount"));
    }

    [Theory]
    [InlineData(DriverKind.Ramdax, true, "/dev/ramdax/store-ext4")]
    [InlineData(DriverKind.Ramdax, false, "/dev/pmem0")]
    [InlineData(DriverKind.NdE820, true, "/dev/pmem0")]
    public async Task The_unit_mounts_the_stable_udev_name_of_a_ramdax_namespace_once_udev_made_it_and_the_node_otherwise(DriverKind driver, bool linked, string what)
    {
        // Without the link (udev has not seen the device yet), systemd-mount would refuse the name;
        // the node gives the same unit, and systemd waits for the device, not the agent.
        if (linked)
        {
            _machine.StableLink("store-ext4", "pmem0");
        }

        var tools = GuestTools.For(_machine);

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([Filesystem()], driver, _machine.Context(tools), default));

        Assert.Single(tools.CallsStartingWith("systemd-mount"), c => c.EndsWith($" {what} /mnt/e", StringComparison.Ordinal));
        Assert.Equal(ItemState.Created, outcome.Item.State);
    }

    [Fact]
    public async Task Unit_files_an_earlier_release_wrote_into_etc_are_removed_and_systemd_reloaded_once_while_others_stay()
    {
        _machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo));
        _machine.Write("/etc/systemd/system/mnt-e.mount", "# Generated by ramdax-provision on every boot from its configuration; edits here are replaced.\n[Mount]\nWhat=/dev/disk/by-uuid/x\n");
        _machine.Write("/etc/systemd/system/mnt-old.mount", "# Generated by ramdax-provision on every boot from its configuration; edits here are replaced.\n[Mount]\nWhat=/dev/pmem3\n");
        _machine.Write("/etc/systemd/system/srv-data.mount", "[Mount]\nWhat=/dev/sdb1\nWhere=/srv/data\n");
        File.CreateSymbolicLink(_machine.Root.Resolve("/etc/systemd/system/mnt-masked.mount"), "/dev/null");
        var tools = GuestTools.For(_machine);

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([Filesystem()], DriverKind.Ramdax, _machine.Context(tools), default));

        Assert.Equal(ItemState.Ok, outcome.Item.State);
        Assert.False(_machine.Root.Exists("/etc/systemd/system/mnt-e.mount"));
        Assert.False(_machine.Root.Exists("/etc/systemd/system/mnt-old.mount"));
        Assert.True(_machine.Root.FileExists("/etc/systemd/system/srv-data.mount"));
        Assert.NotNull(new FileInfo(_machine.Root.Resolve("/etc/systemd/system/mnt-masked.mount")).LinkTarget);
        Assert.Equal(["systemctl daemon-reload"], tools.CallsStartingWith("systemctl"));

        var again = GuestTools.For(_machine);
        await MountReconciler.ReconcileAsync([Filesystem()], DriverKind.Ramdax, _machine.Context(again), default);
        Assert.Empty(again.CallsStartingWith("systemctl"));
    }

    [Fact]
    public async Task A_failed_start_is_judged_per_mount_by_what_is_mounted()
    {
        var tools = GuestTools.For(_machine).On(ExternalTools.SystemdMount, a => a[^1] == "/mnt/x",
            a => FakeToolRunner.Result(ExternalTools.SystemdMount, a, 1, stderr: "Job for mnt-x.mount failed."));

        var outcomes = await MountReconciler.ReconcileAsync([Filesystem(), XfsFilesystem()], DriverKind.Ramdax, _machine.Context(tools), default);

        Assert.Equal(ItemState.Created, outcomes[0].Item.State);
        Assert.Equal(ItemState.Failed, outcomes[1].Item.State);
        Assert.Contains("Job for mnt-x.mount failed", outcomes[1].Item.Reason, StringComparison.Ordinal);
        Assert.Contains("journalctl -u mnt-x.mount", outcomes[1].Item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mount_path_with_a_control_character_fails_its_item_and_mounts_nothing()
    {
        var tools = GuestTools.For(_machine);
        var fs = Filesystem() with { Planned = TestPlans.StoreExt4() with { Mount = TestPlans.StoreExt4().Mount! with { Path = "/mnt/e\nx" } } };

        var outcome = Assert.Single(await MountReconciler.ReconcileAsync([fs], DriverKind.Ramdax, _machine.Context(tools), default));

        Assert.Equal(ItemState.Failed, outcome.Item.State);
        Assert.Contains("control characters", outcome.Item.Reason, StringComparison.Ordinal);
        Assert.Empty(tools.CallsStartingWith("systemd-mount"));
    }

    private static FilesystemOutcome XfsFilesystem() =>
        new(TestPlans.StoreXfs(), "/dev/pmem0.1", BlkidSignature.Parse("DEVNAME=/dev/pmem0.1\nLABEL=store-xfs\nTYPE=xfs\n"),
            new ReconcileItem(ItemKind.Filesystem, "store-xfs", "/dev/pmem0.1", ItemState.Ok, "kept"));

    private static FilesystemOutcome Filesystem() =>
        new(TestPlans.StoreExt4(), "/dev/pmem0", Ext4, new ReconcileItem(ItemKind.Filesystem, "store-ext4", "/dev/pmem0", ItemState.Ok, "kept"));
}
