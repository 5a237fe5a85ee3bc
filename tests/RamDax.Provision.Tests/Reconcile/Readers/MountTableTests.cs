using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Readers;

public sealed class MountTableTests
{
    [Fact]
    public void The_captured_dax_mount_is_read_with_its_super_options()
    {
        var mount = Assert.Single(MountTable.Parse(Fixtures.Qemu("first-boot-create/mountinfo-dax.txt")).Entries);

        Assert.Equal(("/mnt/e", "ext4", "/dev/pmem0", "259:0", "rw,stripe=512,dax=always"), (mount.MountPoint, mount.FilesystemType, mount.Source, mount.Device, mount.SuperOptions));
        Assert.True(mount.HasDaxAlways);
    }

    [Fact]
    public void A_mount_without_dax_in_its_super_options_is_seen_as_such()
    {
        var table = MountTable.Parse(Fixtures.Qemu("first-boot-create/mountinfo-dax.txt").Replace(",dax=always", "", StringComparison.Ordinal));

        Assert.False(table.At("/mnt/e")!.HasDaxAlways);
    }

    [Fact]
    public void Escaped_spaces_in_mount_points_are_unescaped_and_optional_fields_skipped()
    {
        var table = MountTable.Parse("70 33 259:1 / /mnt/my\\040data rw,relatime shared:61 master:2 - xfs /dev/pmem0.1 rw,attr2,dax=always\n");

        var mount = table.At("/mnt/my data");
        Assert.NotNull(mount);
        Assert.Equal("/dev/pmem0.1", mount.Source);
        Assert.True(mount.HasDaxAlways);
        Assert.Same(mount, table.OfDevice("/dev/pmem0.1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("70 33")]
    [InlineData("70 33 259:1 / /mnt/e")]
    [InlineData("70 33 259:1 / /mnt/e rw - ext4")]
    [InlineData("x 33 259:1 / /mnt/e rw - ext4 /dev/pmem0 rw")]
    public void A_truncated_or_broken_line_is_skipped_not_a_crash(string line)
    {
        var table = MountTable.Parse(line + "\n" + Fixtures.Qemu("first-boot-create/mountinfo-dax.txt"));

        Assert.Single(table.Entries);
    }
}
