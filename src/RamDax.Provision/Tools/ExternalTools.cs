namespace RamDax.Provision.Tools;

/// <summary>
/// Every external program the agent runs, in one place, so that packaging, tests and a reader can
/// see them at a glance. Names are resolved through PATH.
/// </summary>
public static class ExternalTools
{
    public const string Ndctl = "ndctl";
    public const string Blkid = "blkid";
    public const string MkfsExt4 = "mkfs.ext4";
    public const string MkfsXfs = "mkfs.xfs";
    public const string Wipefs = "wipefs";
    public const string Mount = "mount";
    public const string Modprobe = "modprobe";
    public const string Udevadm = "udevadm";
    public const string Systemctl = "systemctl";
    public const string SystemdMount = "systemd-mount";
    public const string UpdateGrub = "update-grub";
    public const string GrubMkconfig = "grub-mkconfig";
    public const string Grubby = "grubby";
    public const string KernelInstall = "kernel-install";
    public const string Kexec = "kexec";
    public const string CloudInit = "cloud-init";

    /// <summary>Runs boot-configuration tools inside an image when <c>--root</c> is not <c>/</c>.</summary>
    public const string Chroot = "chroot";
}
