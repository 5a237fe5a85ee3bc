using RamDax.Provision.Machine;

namespace RamDax.Provision.Boot;

/// <summary>
/// The generated <c>grub.cfg</c>, read for what it will really boot: the arguments of its normal
/// <c>linux</c> lines. Recovery entries are left out because Debian builds them without
/// <c>GRUB_CMDLINE_LINUX_DEFAULT</c>, where the drop-in puts the arguments.
/// </summary>
public static class GrubConfigFile
{
    public static readonly string[] Candidates = ["/boot/grub/grub.cfg", "/boot/grub2/grub.cfg"];

    /// <summary>The existing grub.cfg (machine path), or null.</summary>
    public static string? Find(MachineRoot root) => Candidates.FirstOrDefault(root.FileExists);

    /// <summary>The argument lists of the normal (non-recovery) <c>linux</c> lines, kernel path excluded.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> NormalLinuxLines(string grubCfg)
    {
        var lines = new List<IReadOnlyList<string>>();
        foreach (var raw in grubCfg.Split('\n'))
        {
            var tokens = KernelCommandLine.Parse(raw.Trim()).Arguments;
            if (tokens.Length < 2 || tokens[0] is not ("linux" or "linux16" or "linuxefi"))
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
}
