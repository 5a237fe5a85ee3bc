using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Filesystems;

public sealed class FilesystemDeciderTests
{
    private static readonly FilesystemSettings Ext4 = new(FilesystemType.Ext4, "store-ext4", []);
    private static readonly BlkidSignature Captured = BlkidSignature.Parse(Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));

    [Fact]
    public void A_blank_device_gets_mkfs()
    {
        var decision = FilesystemDecider.Decide("store-ext4", Ext4, false, "/dev/pmem0", BlkidSignature.Blank, 526385152);

        Assert.False(Assert.IsType<FilesystemDecision.Format>(decision).WipeFirst);
    }

    [Fact]
    public void A_filesystem_whose_mkfs_never_finished_is_wiped_and_made_again()
    {
        var decision = FilesystemDecider.Decide("store-ext4", Ext4, false, "/dev/pmem0", Captured, 526385152, unfinished: true);

        var format = Assert.IsType<FilesystemDecision.Format>(decision);
        Assert.True(format.WipeFirst);
        Assert.Contains("never finished", format.Why, StringComparison.Ordinal);
        Assert.Contains("ext4 labelled 'store-ext4'", format.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unfinished_mkfs_that_left_nothing_blkid_knows_is_run_again_without_wipefs()
    {
        var decision = FilesystemDecider.Decide("store-ext4", Ext4, false, "/dev/pmem0", BlkidSignature.Blank, 526385152, unfinished: true);

        var format = Assert.IsType<FilesystemDecision.Format>(decision);
        Assert.False(format.WipeFirst);
        Assert.Contains("it left nothing", format.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mark_of_an_unfinished_mkfs_never_formats_over_a_filesystem_of_another_type()
    {
        var xfs = BlkidSignature.Parse(Fixtures.Host("blkid-xfs-store-xfs.txt"));

        var decision = FilesystemDecider.Decide("store-ext4", Ext4, false, "/dev/pmem0", xfs, 526385152, unfinished: true);

        Assert.IsType<FilesystemDecision.Refuse>(decision);
    }

    [Fact]
    public void The_planned_filesystem_is_kept_as_it_is()
    {
        var decision = FilesystemDecider.Decide("store-ext4", Ext4, false, "/dev/pmem0", Captured, 526385152);

        Assert.Same(Captured, Assert.IsType<FilesystemDecision.Keep>(decision).Signature);
    }

    [Fact]
    public void A_filesystem_larger_than_its_device_is_a_left_over_and_not_kept()
    {
        var decision = FilesystemDecider.Decide("store-ext4", Ext4, false, "/dev/pmem0", Captured, 262144000);

        Assert.Contains("left over", Assert.IsType<FilesystemDecision.Refuse>(decision).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partition_table_is_a_signature_too()
    {
        var decision = FilesystemDecider.Decide("store-ext4", Ext4, false, "/dev/pmem0", BlkidSignature.Parse("PTUUID=1234\nPTTYPE=gpt\n"), 526385152);

        Assert.Contains("a gpt partition table", Assert.IsType<FilesystemDecision.Refuse>(decision).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Mkfs_options_are_dax_correct_and_configured_options_come_before_the_device()
    {
        var (tool, arguments) = MkfsCommand.For(Ext4 with { MkfsOptions = ["-O", "^has_journal"] }, "/dev/pmem0");

        Assert.Equal("mkfs.ext4", tool);
        Assert.Equal(["-q", "-b", "4096", "-E", "stride=512,stripe_width=512", "-L", "store-ext4", "-O", "^has_journal", "/dev/pmem0"], arguments);
        Assert.Equal(["-q", "-m", "reflink=0", "-d", "su=2m,sw=1", "-L", "x", "/dev/pmem1"], MkfsCommand.For(new FilesystemSettings(FilesystemType.Xfs, "x", []), "/dev/pmem1").Arguments);
    }
}
