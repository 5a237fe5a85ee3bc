using RamDax.Provision.Machine;

namespace RamDax.Provision.Boot;

/// <summary>
/// Reads the kernel arguments the boot configuration gives the next boot, from every backend's
/// files that exist: GRUB's defaults (without the agent's drop-in) and kernel-install's
/// <c>/etc/kernel/cmdline</c>. Arguments someone wrote there and has not booted yet are as
/// foreign as those on the running command line.
/// </summary>
public static class NextBootReader
{
    public static NextBootArguments Read(MachineRoot root)
    {
        var notes = new List<string>();
        var lines = new List<BootCommandLine>();
        if (GrubDefaults.Read(root, notes) is { } grub)
        {
            lines.Add(grub);
        }

        if (root.TryReadText(KernelInstallCmdline.CmdlinePath) is { } cmdline)
        {
            lines.Add(new BootCommandLine(KernelInstallCmdline.CmdlinePath,
                [.. KernelCommandLine.Parse(cmdline).Arguments.Select(a => new BootArgument(a, KernelInstallCmdline.CmdlinePath))]));
        }

        return new NextBootArguments([.. lines], [.. notes]);
    }

    /// <summary>The machine's facts with the boot configuration's arguments for the next boot.</summary>
    public static MachineFacts ReadFacts(MachineRoot root) => MachineFacts.Read(root) with { NextBoot = Read(root) };
}
