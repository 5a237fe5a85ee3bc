using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Reconcile.Mounts;

namespace RamDax.Provision.Tests.Reconcile.Mounts;

public sealed class MountUnitTests
{
    [Fact]
    public void The_transient_unit_mounts_the_stable_name_with_dax_always_and_no_fsck_before_the_provision_target()
    {
        var mount = new MountSettings("/mnt/ramdax/store", ["noatime", "dax=always", "nofail"], "app", "app", "0750");

        var unit = MountUnit.For("store", "/dev/ramdax/store", "ext4", mount);

        Assert.Equal("mnt-ramdax-store.mount", unit.Name);
        Assert.Equal(
            ["--no-ask-password", "--fsck=no", "--type=ext4", "--options=dax=always,nofail,noatime", "--description=RamDax namespace store on /mnt/ramdax/store",
             "--property=Before=ramdax-provision.target", "/dev/ramdax/store", "/mnt/ramdax/store"],
            unit.SystemdMountArguments());
    }

    [Theory]
    [InlineData("/mnt/a\nb", "x")]
    [InlineData("/mnt/a", "x\tb")]
    public void Control_characters_in_a_path_or_option_are_refused(string path, string option)
    {
        var e = Assert.Throws<ArgumentException>(() => MountUnit.For("store", "/dev/pmem0", "xfs", new MountSettings(path, [option], "root", "root", "0755")));

        Assert.Contains("namespace 'store'", e.Message, StringComparison.Ordinal);
    }
}
