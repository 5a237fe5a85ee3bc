using RamDax.Provision.Machine;

namespace RamDax.Provision.Boot;

/// <summary>
/// The generated <c>grub.cfg</c>, read for what it will really boot: the arguments of the normal
/// <c>linux</c> lines of the installed kernels. Everything else in the menu is left out:
/// recovery entries (Debian builds them without <c>GRUB_CMDLINE_LINUX_DEFAULT</c>, where the
/// drop-in puts the arguments), memtest86+ (<c>linux /boot/memtest86+x64.efi</c>, a program that
/// takes no kernel arguments) and os-prober's entries for other systems, which boot with their
/// own command lines even when their kernel has the same name as ours.
/// </summary>
public static class GrubConfigFile
{
    public static readonly string[] Candidates = ["/boot/grub/grub.cfg", "/boot/grub2/grub.cfg"];

    private const string KernelPrefix = "vmlinuz-";

    /// <summary>The existing grub.cfg (machine path), or null.</summary>
    public static string? Find(MachineRoot root) => Candidates.FirstOrDefault(root.FileExists);

    /// <summary>The file names of the installed kernels, <c>/boot/vmlinuz-*</c> (what update-grub makes entries for).</summary>
    public static IReadOnlySet<string> InstalledKernels(MachineRoot root) =>
        root.DirectoryExists("/boot")
            ? root.ListNames("/boot").Where(n => n.StartsWith(KernelPrefix, StringComparison.Ordinal) && root.FileExists($"/boot/{n}")).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The argument lists (kernel path excluded) of the normal (non-recovery) <c>linux</c> lines
    /// that boot one of <paramref name="installedKernels"/> (file names such as
    /// <c>vmlinuz-7.3.4+deb13-amd64</c>), outside os-prober's part of the menu.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> NormalLinuxLines(string grubCfg, IReadOnlySet<string> installedKernels)
    {
        var lines = new List<IReadOnlyList<string>>();
        var otherSystems = false;
        foreach (var raw in grubCfg.Split('\n'))
        {
            var line = raw.Trim();

            // grub-mkconfig brackets each /etc/grub.d script's output with "### BEGIN|END /etc/grub.d/NAME ###".
            if (line.StartsWith("### BEGIN ", StringComparison.Ordinal))
            {
                otherSystems = line.Contains("os-prober", StringComparison.Ordinal);
                continue;
            }

            if (line.StartsWith("### END ", StringComparison.Ordinal))
            {
                otherSystems = false;
                continue;
            }

            var tokens = KernelCommandLine.Parse(line).Arguments;
            if (otherSystems || tokens.Length < 2 || tokens[0] is not ("linux" or "linux16" or "linuxefi"))
            {
                continue;
            }

            if (!installedKernels.Contains(KernelFileName(tokens[1])))
            {
                continue;
            }

            var arguments = tokens.Skip(2).ToList();
            if (arguments.Contains("single") || arguments.Contains("recovery"))
            {
                continue;
            }

            lines.Add(arguments);
        }

        return lines;
    }

    /// <summary>The kernel lines of the machine's own grub.cfg, judged against its own /boot.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> NormalLinuxLines(MachineRoot root, string grubCfgPath) =>
        NormalLinuxLines(root.ReadText(grubCfgPath), InstalledKernels(root));

    // A separate /boot partition makes the path /vmlinuz-X; a GRUB device prefix looks like (hd0,gpt2)/boot/vmlinuz-X.
    private static string KernelFileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
