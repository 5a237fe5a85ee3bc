using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Boot;

/// <summary>
/// Picks the backend for the machine under the root, unless the <c>bootloader:</c> setting names one.
/// BLS with grubby comes first (Fedora also has /etc/default/grub, but grub2-mkconfig does not touch
/// BLS entries); then Debian-style GRUB; then kernel-install where it owns the command line.
/// </summary>
public static class BootloaderDetector
{
    public static IBootloader Select(BootloaderKind setting, BootTools tools) => (setting == BootloaderKind.Auto ? Detect(tools) : setting) switch
    {
        BootloaderKind.Grub => new GrubDropIn(tools),
        BootloaderKind.Bls => new GrubbyBls(tools),
        BootloaderKind.KernelInstall => new KernelInstallCmdline(tools),
        _ => new NoBootloader(),
    };

    public static BootloaderKind Detect(BootTools tools)
    {
        var root = tools.Root;
        var hasEntries = BlsEntries.Find(root).Count > 0;
        if (hasEntries && tools.Has(ExternalTools.Grubby))
        {
            return BootloaderKind.Bls;
        }

        if (root.FileExists("/etc/default/grub") && (tools.Has(ExternalTools.UpdateGrub) || tools.Has(ExternalTools.GrubMkconfig)))
        {
            return BootloaderKind.Grub;
        }

        if (tools.Has(ExternalTools.KernelInstall) && (root.FileExists(KernelInstallCmdline.CmdlinePath) || hasEntries))
        {
            return BootloaderKind.KernelInstall;
        }

        return BootloaderKind.None;
    }
}
