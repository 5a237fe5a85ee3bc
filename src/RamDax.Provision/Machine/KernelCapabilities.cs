namespace RamDax.Provision.Machine;

/// <summary>What the installed kernel can do for us, judged from its modules, never from its version.</summary>
public sealed record KernelCapabilities(string Release, bool HasRamdax, string Evidence)
{
    public const string ReleasePath = "/proc/sys/kernel/osrelease";

    public static KernelCapabilities Read(MachineRoot root)
    {
        var release = root.ReadText(ReleasePath).Trim();
        if (release.Length == 0 || release.Contains('/', StringComparison.Ordinal) || release.Contains("..", StringComparison.Ordinal) || release.Any(char.IsControl))
        {
            // It names a directory under /lib/modules: a '/' or '..' would lead the module checks anywhere.
            throw new MachineReadException(root.Resolve(ReleasePath), detail: $"'{release}' is not a kernel release (like 7.3.4+deb13-amd64): it is empty or holds '/', '..' or a control character");
        }

        var modules = $"/lib/modules/{release}";
        if (root.DirectoryExists("/sys/module/ramdax"))
        {
            return new KernelCapabilities(release, true, "/sys/module/ramdax is loaded");
        }

        var builtin = root.ReadText($"{modules}/modules.builtin");
        if (builtin.Split('\n').Any(line => line.Trim().EndsWith("/ramdax.ko", StringComparison.Ordinal)))
        {
            return new KernelCapabilities(release, true, $"ramdax is built into {release}");
        }

        var driverDir = $"{modules}/kernel/drivers/nvdimm";
        if (root.DirectoryExists(driverDir) && root.ListNames(driverDir).Any(n => n.StartsWith("ramdax.ko", StringComparison.Ordinal)))
        {
            return new KernelCapabilities(release, true, $"{driverDir}/ramdax.ko is installed");
        }

        return new KernelCapabilities(release, false, $"kernel {release} has no ramdax module (it arrived in Linux 6.19)");
    }
}
