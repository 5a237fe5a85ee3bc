using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Reconcile.Mounts;

namespace RamDax.Provision.Tests.Reconcile.Mounts;

public sealed class MountUnitTests
{
    [Fact]
    public void The_generated_unit_mounts_by_uuid_with_dax_always_before_the_provision_target()
    {
        var mount = new MountSettings("/mnt/ramdax/store", ["noatime", "dax=always", "nofail"], "app", "app", "0750");

        var unit = MountUnit.Render("store", "/dev/disk/by-uuid/f5719a36-7c26-4b2e-9121-af2765e4ba31", "/dev/pmem0", "ext4", mount);

        Assert.Equal("mnt-ramdax-store.mount", unit.Name);
        Assert.Equal("/etc/systemd/system/mnt-ramdax-store.mount", unit.Path);
        var lines = unit.Content.Split('\n');
        Assert.Contains("What=/dev/disk/by-uuid/f5719a36-7c26-4b2e-9121-af2765e4ba31", lines);
        Assert.Contains("Where=/mnt/ramdax/store", lines);
        Assert.Contains("Type=ext4", lines);
        Assert.Contains("Options=dax=always,nofail,noatime", lines);
        Assert.Contains("Before=ramdax-provision.target", lines);
        Assert.Contains("WantedBy=ramdax-provision.target", lines);
        Assert.DoesNotContain('@', unit.Content);
    }

    [Fact]
    public void A_percent_sign_is_not_taken_for_a_specifier()
    {
        var unit = MountUnit.Render("store", "/dev/pmem0", "/dev/pmem0", "xfs", new MountSettings("/mnt/100%", [], "root", "root", "0755"));

        Assert.Contains("Where=/mnt/100%%", unit.Content.Split('\n'));
    }
}
