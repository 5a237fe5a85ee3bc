using RamDax.Provision.Machine;

namespace RamDax.Provision.Cli;

/// <summary>
/// The way to keep the agent from acting without masking its units: the kernel command line word
/// <c>ramdax-provision.disable</c> (for one boot, typed at the boot menu) or the file
/// <c>/etc/ramdax-provision/disabled</c> (until it is removed). The units carry the same two
/// conditions; <c>apply</c> checks them as well, so a run by hand or from another unit obeys them too.
/// </summary>
public static class KillSwitch
{
    public const string KernelWord = "ramdax-provision.disable";
    public const string FilePath = "/etc/ramdax-provision/disabled";

    /// <summary>What disables the agent on the machine under <paramref name="root"/>, for people; null when nothing does.</summary>
    public static string? DisabledBy(MachineRoot root)
    {
        if (root.FileExists(FilePath))
        {
            return $"the file {root.Resolve(FilePath)} exists (remove it to enable the agent)";
        }

        // As systemd's ConditionKernelCommandLine= matches it: the word alone or as the left side of an assignment.
        var cmdline = root.TryReadText(KernelCommandLine.Path);
        if (cmdline is not null && KernelCommandLine.Parse(cmdline).Arguments.Any(a => a == KernelWord || a.StartsWith(KernelWord + "=", StringComparison.Ordinal)))
        {
            return $"the kernel command line ({root.Resolve(KernelCommandLine.Path)}) has {KernelWord} (boot without it to enable the agent)";
        }

        return null;
    }
}
