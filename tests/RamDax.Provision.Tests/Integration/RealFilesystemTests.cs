using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using System.Diagnostics;
using RamDax.Provision.Tests.Support;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Integration;

/// <summary>
/// The filesystem stage with the real mkfs.ext4, mkfs.xfs, blkid and wipefs on loop devices (needs
/// root, losetup, e2fsprogs and xfsprogs). A DAX mount needs a pmem device, which only the QEMU
/// end-to-end test has; here the filesystems are mounted without DAX only to write and read a file.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RealFilesystemTests : IDisposable
{
    private readonly FakeMachine _machine = new();
    private readonly List<string> _loops = [];

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            Run("losetup", "-d", loop);
        }

        _machine.Dispose();
    }

    [HostFact(true, "losetup", "blockdev", "mkfs.ext4", "mkfs.xfs", "blkid", "wipefs", "udevadm", "mount", "umount", "dumpe2fs", "xfs_info")]
    public async Task A_blank_device_gets_ext4_with_4k_blocks_and_a_2M_stride()
    {
        var device = Loop(64 * ByteSize.MiB);

        var outcome = await Reconcile(device, new FilesystemSettings(FilesystemType.Ext4, "store", []));

        Assert.Equal(ItemState.Created, outcome.Item.State);
        var header = Run("dumpe2fs", "-h", device);
        Assert.Matches(@"(?m)^Block size:\s+4096$", header);
        Assert.Matches(@"(?m)^RAID stride:\s+512$", header);
        Assert.Matches(@"(?m)^Filesystem volume name:\s+store$", header);
    }

    [HostFact(true, "losetup", "blockdev", "mkfs.ext4", "mkfs.xfs", "blkid", "wipefs", "udevadm", "mount", "umount", "dumpe2fs", "xfs_info")]
    public async Task A_blank_device_gets_xfs_without_reflink_and_with_a_2M_stripe_unit()
    {
        // xfsprogs 6.1 refuses -d su=2m below about 1.5 GiB ("Log size must be at least 64MB"); the image is sparse.
        var device = Loop(2 * ByteSize.GiB);

        var outcome = await Reconcile(device, new FilesystemSettings(FilesystemType.Xfs, "store-xfs", []));

        Assert.True(outcome.Item.State == ItemState.Created, outcome.Item.Reason);
        var info = Run("xfs_info", device);
        Assert.Contains("reflink=0", info, StringComparison.Ordinal);
        Assert.Matches(@"sunit=512\s+swidth=512 blks", info);
    }

    [HostFact(true, "losetup", "blockdev", "mkfs.ext4", "mkfs.xfs", "blkid", "wipefs", "udevadm", "mount", "umount", "dumpe2fs", "xfs_info")]
    public async Task A_device_with_another_signature_is_left_alone_without_wipe()
    {
        var device = Loop(400 * ByteSize.MiB);
        Run("mkfs.ext4", "-q", "-L", "other", device);
        var before = Run("blkid", "-p", "-o", "export", device);

        var outcome = await Reconcile(device, new FilesystemSettings(FilesystemType.Xfs, "store-xfs", []));

        Assert.Equal(ItemState.Drifted, outcome.Item.State);
        Assert.Equal(before, Run("blkid", "-p", "-o", "export", device));
    }

    [HostFact(true, "losetup", "blockdev", "mkfs.ext4", "mkfs.xfs", "blkid", "wipefs", "udevadm", "mount", "umount", "dumpe2fs", "xfs_info")]
    public async Task The_filesystem_and_its_data_survive_a_second_reconcile_untouched()
    {
        var device = Loop(64 * ByteSize.MiB);
        var settings = new FilesystemSettings(FilesystemType.Ext4, "keep", []);
        var first = await Reconcile(device, settings);
        using var mountDirectory = new TempRoot("ramdax-mnt-");
        var mountPoint = mountDirectory.Path;
        Run("mount", device, mountPoint);
        await File.WriteAllTextAsync(Path.Join(mountPoint, "data"), "written before the reboot");
        Run("umount", mountPoint);

        var second = await Reconcile(device, settings);

        Assert.Equal(ItemState.Ok, second.Item.State);
        Assert.Equal(first.Signature!.Uuid, second.Signature!.Uuid);
        Run("mount", "-o", "ro", device, mountPoint);
        try
        {
            Assert.Equal("written before the reboot", await File.ReadAllTextAsync(Path.Join(mountPoint, "data")));
        }
        finally
        {
            Run("umount", mountPoint);
        }
    }

    [HostFact(true, "losetup", "blockdev", "mkfs.ext4", "mkfs.xfs", "blkid", "wipefs", "udevadm", "mount", "umount", "dumpe2fs", "xfs_info")]
    public async Task Wipe_true_replaces_another_signature_for_real()
    {
        var device = Loop(64 * ByteSize.MiB);
        Run("mkfs.ext4", "-q", "-L", "old", device);

        var outcome = await Reconcile(device, new FilesystemSettings(FilesystemType.Ext4, "new", []), wipe: true);

        Assert.Equal(ItemState.Created, outcome.Item.State);
        Assert.Contains("LABEL=new", Run("blkid", "-p", "-o", "export", device), StringComparison.Ordinal);
    }

    private async Task<FilesystemOutcome> Reconcile(string device, FilesystemSettings filesystem, bool wipe = false)
    {
        var size = ulong.Parse(Run("blockdev", "--getsize64", device).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var planned = new PlannedNamespace("store", NamespaceMode.Fsdax, size, size, 2 * ByteSize.MiB, 0, 0, filesystem, null, null, wipe, false);
        var actual = new NdctlNamespace("namespace0.0", "fsdax", size, "store", null, 2 * ByteSize.MiB, Path.GetFileName(device), null);
        var ns = new NamespaceOutcome(planned, actual, new ReconcileItem(ItemKind.Namespace, "store", actual.Dev, ItemState.Ok, "reused"));
        var result = await FilesystemReconciler.ReconcileAsync(ImmutableArray.Create(ns), _machine.Context(new ToolRunner()), default);
        return Assert.Single(result);
    }

    private string Loop(ulong size)
    {
        var image = Path.Join(_machine.Path, $"image{_loops.Count}.img");
        using (var file = File.Create(image))
        {
            file.SetLength((long)size);
        }

        var loop = Run("losetup", "-f", "--show", image).Trim();
        _loops.Add(loop);
        return loop;
    }

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}");
        return output;
    }
}
