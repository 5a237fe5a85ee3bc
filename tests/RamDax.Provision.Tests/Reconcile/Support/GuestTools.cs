using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Support;

/// <summary>The tool answers every scenario shares: the module loads and binds, udev settles, systemd-mount mounts as captured.</summary>
internal static class GuestTools
{
    /// <param name="mounted">The device the captured mount line names (/dev/pmem0 there), for a machine whose namespace has another.</param>
    public static FakeToolRunner For(FakeMachine machine, string mounted = "/dev/pmem0")
    {
        var tools = new FakeToolRunner();
        // modprobe loads what it is named: the platform driver takes the device, each namespace driver registers.
        tools.On(ExternalTools.Modprobe, _ => true, a =>
        {
            if (a.Contains("ramdax"))
            {
                machine.SetDriver("ramdax");
            }
            else if (a.Contains("nd_e820"))
            {
                machine.SetDriver("e820_pmem");
            }

            machine.WithNamespaceDrivers(a);
            return FakeToolRunner.Result(ExternalTools.Modprobe, a, 0);
        });
        tools.Ok(ExternalTools.Udevadm, []);
        tools.Ok(ExternalTools.Systemctl, ["daemon-reload"]);
        tools.Ok(ExternalTools.Systemctl, ["stop"]);
        // The captured dax=always mount of /dev/pmem0 on /mnt/e appears when systemd-mount has started its unit.
        tools.On(ExternalTools.SystemdMount, a => a[^1] == "/mnt/e", a =>
        {
            machine.WithMountInfo(Fixtures.Qemu(FakeMachine.CapturedMountInfo).Replace(" /dev/pmem0 ", $" {mounted} ", StringComparison.Ordinal));
            return FakeToolRunner.Result(ExternalTools.SystemdMount, a, 0);
        });
        // udev applies the generated rule to the node it re-triggers, as on the guest.
        tools.On(ExternalTools.Udevadm, a => a[0] == "trigger", a =>
        {
            machine.ApplyUdevRule(a[^1]);
            return FakeToolRunner.Result(ExternalTools.Udevadm, a, 0);
        });
        return tools;
    }

    /// <summary>blkid answers as on the guest: blank (exit 2, silent) until mkfs ran, then the captured ext4 signature.</summary>
    public static FakeToolRunner BlankUntilMkfs(this FakeToolRunner tools, string device = "/dev/pmem0")
    {
        var made = false;
        tools.On(ExternalTools.MkfsExt4, a => a[^1] == device, a =>
        {
            made = true;
            return FakeToolRunner.Result(ExternalTools.MkfsExt4, a, 0);
        });
        tools.On(ExternalTools.Blkid, a => a[^1] == device, a => made
            ? FakeToolRunner.Result(ExternalTools.Blkid, a, 0, Fixtures.Qemu("first-boot-create/blkid-ext4.txt"))
            : FakeToolRunner.Result(ExternalTools.Blkid, a, 2));
        return tools;
    }
}
