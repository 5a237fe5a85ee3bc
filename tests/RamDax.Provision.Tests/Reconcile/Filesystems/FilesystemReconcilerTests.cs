using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Filesystems;

public sealed class FilesystemReconcilerTests : IDisposable
{
    private static readonly NdctlRegion AfterCreate = NdctlOutput.ParseRegions(Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"))[0];
    private readonly FakeMachine _machine = new();

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task A_device_with_another_signature_is_never_formatted_without_wipe()
    {
        var tools = new FakeToolRunner().Ok(ExternalTools.Blkid, ["-p", "-o", "export", "/dev/pmem0"], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4(type: FilesystemType.Xfs));

        Assert.Empty(tools.CallsStartingWith("mkfs"));
        Assert.Empty(tools.CallsStartingWith("wipefs"));
        Assert.Equal(ItemState.Drifted, outcome.Item.State);
        Assert.Contains("carries ext4 labelled 'store-ext4' (UUID f5719a36-7c26-4b2e-9121-af2765e4ba31), not xfs labelled 'store-ext4'", outcome.Item.Reason, StringComparison.Ordinal);
        Assert.Contains("wipe: true", outcome.Item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filesystem_with_another_label_counts_as_another_signature()
    {
        var tools = new FakeToolRunner().Ok(ExternalTools.Blkid, [], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4(label: "scratch"));

        Assert.Empty(tools.CallsStartingWith("mkfs"));
        Assert.Equal(ItemState.Drifted, outcome.Item.State);
    }

    [Fact]
    public async Task Wipe_true_replaces_another_signature_with_wipefs_then_mkfs()
    {
        var formatted = false;
        var tools = new FakeToolRunner()
            .On(ExternalTools.Blkid, _ => true, a => FakeToolRunner.Result(ExternalTools.Blkid, a, 0,
                formatted ? Fixtures.Host("blkid-xfs-store-xfs.txt") : Fixtures.Qemu("first-boot-create/blkid-ext4.txt")))
            .Ok(ExternalTools.Wipefs, ["-a", "/dev/pmem0"])
            .On(ExternalTools.MkfsXfs, _ => true, a =>
            {
                formatted = true;
                return FakeToolRunner.Result(ExternalTools.MkfsXfs, a, 0);
            })
            .Ok(ExternalTools.Udevadm, ["settle"]);

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4(type: FilesystemType.Xfs, label: "store-xfs", wipe: true));

        Assert.Equal(
            ["wipefs -a /dev/pmem0", "mkfs.xfs -q -m reflink=0 -d su=2m,sw=1 -L store-xfs /dev/pmem0"],
            tools.Calls.Where(c => !c.StartsWith("blkid", StringComparison.Ordinal) && !c.StartsWith("udevadm", StringComparison.Ordinal)));
        Assert.Equal(ItemState.Created, outcome.Item.State);
        Assert.Equal("5d9bf32d-08af-41f1-b828-4408c30a1c3e", outcome.Signature!.Uuid);
    }

    [Fact]
    public async Task Wipe_true_keeps_the_planned_filesystem_it_finds()
    {
        var tools = new FakeToolRunner().Ok(ExternalTools.Blkid, [], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4(wipe: true));

        Assert.Equal(["blkid -p -o export /dev/pmem0"], tools.Calls);
        Assert.Equal(ItemState.Ok, outcome.Item.State);
    }

    [Fact]
    public async Task A_blkid_that_cannot_open_the_device_is_not_taken_for_a_blank_device()
    {
        var tools = new FakeToolRunner().Exit(ExternalTools.Blkid, [], 2, stderr: "error: /dev/pmem0: Permission denied");

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4());

        Assert.Empty(tools.CallsStartingWith("mkfs"));
        Assert.Equal(ItemState.Failed, outcome.Item.State);
        Assert.StartsWith("make the ext4 filesystem of 'store-ext4' failed: ", outcome.Item.Reason, StringComparison.Ordinal);
    }

    // The captured store-ext4 namespace's uuid: the name of its mark while an mkfs of it runs.
    private const string StoreExt4Uuid = "dce9f838-cb23-4463-a8cb-51052360179b";

    [Fact]
    public async Task A_filesystem_whose_mkfs_never_finished_is_wiped_and_made_again_instead_of_kept()
    {
        _machine.Write(UnfinishedMkfs.PathFor(StoreExt4Uuid), "store-ext4 /dev/pmem0 mkfs.ext4\n");
        var tools = new FakeToolRunner()
            .Ok(ExternalTools.Blkid, [], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"))
            .Ok(ExternalTools.Wipefs, ["-a", "/dev/pmem0"])
            .Ok(ExternalTools.MkfsExt4, [])
            .Ok(ExternalTools.Udevadm, ["settle"]);

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4());

        Assert.Equal(["wipefs -a /dev/pmem0", "mkfs.ext4 -q -b 4096 -E stride=512,stripe_width=512 -L store-ext4 /dev/pmem0"],
            tools.Calls.Where(c => !c.StartsWith("blkid", StringComparison.Ordinal) && !c.StartsWith("udevadm", StringComparison.Ordinal)));
        Assert.Equal(ItemState.Created, outcome.Item.State);
        Assert.Contains("never finished", outcome.Item.Reason, StringComparison.Ordinal);
        Assert.False(_machine.Root.FileExists(UnfinishedMkfs.PathFor(StoreExt4Uuid)));
    }

    [Fact]
    public async Task The_mark_is_on_disk_while_mkfs_runs_and_gone_once_blkid_finds_the_filesystem()
    {
        var markedDuringMkfs = false;
        var made = false;
        var tools = new FakeToolRunner()
            .On(ExternalTools.Blkid, _ => true, a => made
                ? FakeToolRunner.Result(ExternalTools.Blkid, a, 0, Fixtures.Qemu("first-boot-create/blkid-ext4.txt"))
                : FakeToolRunner.Result(ExternalTools.Blkid, a, 2))
            .On(ExternalTools.MkfsExt4, _ => true, a =>
            {
                markedDuringMkfs = _machine.Read(UnfinishedMkfs.PathFor(StoreExt4Uuid)) == "store-ext4 /dev/pmem0 mkfs.ext4\n";
                made = true;
                return FakeToolRunner.Result(ExternalTools.MkfsExt4, a, 0);
            })
            .Ok(ExternalTools.Udevadm, ["settle"]);

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4());

        Assert.Equal(ItemState.Created, outcome.Item.State);
        Assert.True(markedDuringMkfs);
        Assert.False(_machine.Root.FileExists(UnfinishedMkfs.PathFor(StoreExt4Uuid)));
    }

    [Fact]
    public async Task A_mark_stays_when_mkfs_fails_and_the_mark_of_a_namespace_the_kernel_lost_goes()
    {
        const string lost = "0b7c3c2e-5d55-4f59-9a0e-3f7f6b9a2d10";
        _machine.Write(UnfinishedMkfs.PathFor(lost), "old /dev/pmem0 mkfs.ext4\n");
        var tools = new FakeToolRunner()
            .Exit(ExternalTools.Blkid, [], 2)
            .Exit(ExternalTools.MkfsExt4, [], 1, stderr: "mke2fs: Device size reported to be zero.");

        var outcome = await ReconcileOne(tools, TestPlans.StoreExt4());

        Assert.Equal(ItemState.Failed, outcome.Item.State);
        Assert.True(_machine.Root.FileExists(UnfinishedMkfs.PathFor(StoreExt4Uuid)));
        Assert.False(_machine.Root.FileExists(UnfinishedMkfs.PathFor(lost)));
    }

    [Fact]
    public async Task Concurrent_mkfs_runs_log_in_plan_order()
    {
        var secondStarted = new TaskCompletionSource();
        var made = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var tools = new FakeToolRunner()
            .On(ExternalTools.Blkid, _ => true, a => made.TryGetValue(a[^1], out var signature)
                ? FakeToolRunner.Result(ExternalTools.Blkid, a, 0, signature)
                : FakeToolRunner.Result(ExternalTools.Blkid, a, 2))
            .On(ExternalTools.MkfsExt4, _ => true, async a =>
            {
                await secondStarted.Task; // the first namespace finishes only after the second one has run
                made[a[^1]] = "TYPE=ext4\nLABEL=store-ext4\nUUID=1\n";
                return FakeToolRunner.Result(ExternalTools.MkfsExt4, a, 0);
            })
            .On(ExternalTools.MkfsXfs, _ => true, a =>
            {
                made[a[^1]] = "TYPE=xfs\nLABEL=store-xfs\nUUID=2\n";
                secondStarted.SetResult();
                return FakeToolRunner.Result(ExternalTools.MkfsXfs, a, 0);
            })
            .Ok(ExternalTools.Udevadm, ["settle"]);
        var outcomes = ImmutableArray.Create(Outcome(TestPlans.StoreExt4(), "store-ext4"), Outcome(TestPlans.StoreXfs(), "store-xfs"));

        var result = await FilesystemReconciler.ReconcileAsync(outcomes, _machine.Context(tools), default);

        Assert.All(result, r => Assert.Equal(ItemState.Created, r.Item.State));
        var lines = _machine.LogLines;
        var lastOfFirst = lines.FindLastIndex(l => l.Contains("'store-ext4'", StringComparison.Ordinal));
        var firstOfSecond = lines.FindIndex(l => l.Contains("'store-xfs'", StringComparison.Ordinal));
        Assert.True(lastOfFirst < firstOfSecond, string.Join('\n', lines));
    }

    private async Task<FilesystemOutcome> ReconcileOne(FakeToolRunner tools, PlannedNamespace planned)
    {
        var result = await FilesystemReconciler.ReconcileAsync([Outcome(planned, "store-ext4")], _machine.Context(tools), default);
        return Assert.Single(result);
    }

    private static NamespaceOutcome Outcome(PlannedNamespace planned, string capturedName)
    {
        var actual = AfterCreate.Namespaces.Single(n => n.Name == capturedName);
        return new NamespaceOutcome(planned, actual, new ReconcileItem(ItemKind.Namespace, planned.Name, actual.Dev, ItemState.Ok, "reused"));
    }
}
