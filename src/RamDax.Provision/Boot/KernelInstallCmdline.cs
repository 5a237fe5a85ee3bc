using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Boot;

/// <summary>
/// systemd kernel-install (systemd-boot, UKIs): <c>/etc/kernel/cmdline</c> is the command line of
/// every entry it generates. Only our tokens are edited, the rest stays byte for byte; then the
/// entries of the installed kernels are regenerated with <c>kernel-install add</c>.
/// </summary>
public sealed class KernelInstallCmdline(BootTools tools) : IBootloader
{
    public const string CmdlinePath = "/etc/kernel/cmdline";
    public static readonly string[] ModuleDirectories = ["/usr/lib/modules", "/lib/modules"];

    private MachineRoot Root => tools.Root;

    public BootloaderKind Kind => BootloaderKind.KernelInstall;

    public string Description => $"{CmdlinePath}, entries regenerated with kernel-install add";

    public IReadOnlyList<string> Files => [CmdlinePath, .. BlsEntries.Find(Root)];

    /// <summary>
    /// The installed kernels: their version and the arguments <c>kernel-install add</c> gets after
    /// it. Fedora and RHEL keep the image beside the modules (<c>/usr/lib/modules/VERSION/vmlinuz</c>)
    /// and their plugins make the initrd; Debian and Ubuntu keep both in /boot
    /// (<c>/boot/vmlinuz-VERSION</c>, <c>/boot/initrd.img-VERSION</c>) and pass both, as their
    /// <c>/etc/kernel/postinst.d/zz-systemd-boot</c> does: an entry without the initrd would not find
    /// the root filesystem. A module directory with no image is not a kernel (a leftover of a removed
    /// package).
    /// </summary>
    public IReadOnlyList<(string Version, string[] Files)> InstalledKernels()
    {
        var directory = ModuleDirectories.FirstOrDefault(Root.DirectoryExists);
        if (directory is null)
        {
            return [];
        }

        var kernels = new List<(string Version, string[] Files)>();
        foreach (var version in Root.ListNames(directory))
        {
            if (Root.FileExists($"{directory}/{version}/vmlinuz"))
            {
                kernels.Add((version, [$"{directory}/{version}/vmlinuz"]));
            }
            else if (Root.FileExists($"/boot/vmlinuz-{version}"))
            {
                var initrd = $"/boot/initrd.img-{version}";
                kernels.Add((version, Root.FileExists(initrd) ? [$"/boot/vmlinuz-{version}", initrd] : [$"/boot/vmlinuz-{version}"]));
            }
        }

        return kernels;
    }

    /// <summary>
    /// The new content of <c>/etc/kernel/cmdline</c>. Without the file, kernel-install would use the
    /// running command line minus the loader's own arguments; start from the same.
    /// </summary>
    public static string Edit(string? current, KernelCommandLine running, KernelArgumentTarget target) =>
        KernelArgumentEdit.ApplyToText(
            current ?? string.Join(' ', running.Arguments.Where(a => !a.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal) && !a.StartsWith("initrd=", StringComparison.Ordinal))) + "\n",
            target);

    public bool IsConfigured(KernelArgumentTarget target)
    {
        var current = Root.TryReadText(CmdlinePath);
        if (current is null)
        {
            return target.Wanted.IsEmpty;
        }

        if (!KernelArgumentEdit.Carries(KernelCommandLine.Parse(current).Arguments, target))
        {
            return false;
        }

        // The entries are what the boot loader reads; with no entries (UKIs elsewhere) the file is all we can check.
        var entries = BlsEntries.Find(Root);
        return entries.Count == 0 || BlsEntries.AllCarry(Root, entries, target);
    }

    public async Task<BootloaderChange> ConfigureAsync(KernelArgumentTarget target, CancellationToken cancellationToken)
    {
        var path = Root.ResolveForWrite(CmdlinePath);
        var previous = Root.TryReadText(CmdlinePath);
        var running = Root.FileExists(KernelCommandLine.Path) ? KernelCommandLine.Read(Root) : new KernelCommandLine([]);
        AtomicFile.Write(path, Edit(previous, running, target));
        var commands = new List<string>();
        foreach (var (version, files) in InstalledKernels())
        {
            var result = await tools.RunAsync(ExternalTools.KernelInstall, ["add", version, .. files], cancellationToken).ConfigureAwait(false);
            commands.Add(result.CommandLine);
            if (!result.Succeeded)
            {
                AtomicFile.Restore(path, previous);
                foreach (var (doneVersion, doneFiles) in InstalledKernels().TakeWhile(k => k.Version != version))
                {
                    // Best effort: give the kernels already regenerated their old command line back.
                    await tools.RunAsync(ExternalTools.KernelInstall, ["add", doneVersion, .. doneFiles], cancellationToken).ConfigureAwait(false);
                }

                throw new ToolFailedException(result, $"regenerating the boot entry of kernel {version} after editing {CmdlinePath} (the previous file was put back)");
            }
        }

        return new BootloaderChange(Files, commands);
    }
}
