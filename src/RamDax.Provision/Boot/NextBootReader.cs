using RamDax.Provision.Machine;

namespace RamDax.Provision.Boot;

/// <summary>
/// Reads the kernel arguments the boot configuration gives the next boot, from every backend's
/// files that exist: GRUB's defaults (without the agent's drop-in), kernel-install's
/// <c>/etc/kernel/cmdline</c>, and the <c>options</c> of every BLS entry (with grubenv's variables,
/// such as <c>$kernelopts</c> and tuned's <c>$tuned_params</c>, expanded). Arguments someone wrote there and has not booted yet are as
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

        // BLS entries (grubby's, kernel-install's): each is a kernel the boot menu may start.
        var environment = BlsEntries.ReadGrubEnvironment(root);
        foreach (var entry in BlsEntries.Find(root))
        {
            lines.Add(new BootCommandLine(entry,
                [.. BlsEntries.Options(root.ReadText(entry), environment).Select(a => new BootArgument(a, entry))]));
        }

        return new NextBootArguments([.. lines], [.. notes]);
    }

    /// <summary>The machine's facts with the boot configuration's arguments for the next boot.</summary>
    public static MachineFacts ReadFacts(MachineRoot root) => MachineFacts.Read(root) with { NextBoot = Read(root) };
}
