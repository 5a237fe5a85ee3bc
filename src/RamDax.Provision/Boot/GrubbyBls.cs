using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Files;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Boot;

/// <summary>
/// BLS systems (Fedora, RHEL, CentOS Stream): grubby edits every entry's options in place
/// (<c>--update-kernel=ALL</c>); grub2-mkconfig would not touch them. grubby also keeps
/// <c>/etc/kernel/cmdline</c> in step, so kernels installed later get the arguments too.
/// </summary>
public sealed class GrubbyBls(BootTools tools) : IBootloader
{
    public BootloaderKind Kind => BootloaderKind.Bls;

    public string Description => "BLS entries /boot/loader/entries/*.conf, edited with grubby --update-kernel=ALL";

    public IReadOnlyList<string> Files => BlsEntries.Find(tools.Root);

    public bool IsConfigured(KernelArgumentTarget target) => BlsEntries.AllCarry(tools.Root, BlsEntries.Find(tools.Root), target);

    /// <summary>The grubby arguments for <paramref name="target"/>.</summary>
    public static IReadOnlyList<string> Arguments(KernelArgumentTarget target)
    {
        var arguments = new List<string> { "--update-kernel=ALL" };
        // Remove ours first (stale and wanted alike) so a changed memmap= never ends up twice.
        var remove = target.Stale.Concat(target.Wanted).ToList();
        if (remove.Count > 0)
        {
            arguments.Add("--remove-args=" + string.Join(' ', remove));
        }

        if (!target.Wanted.IsEmpty)
        {
            arguments.Add("--args=" + string.Join(' ', target.Wanted));
        }

        return arguments;
    }

    public async Task<BootloaderChange> ConfigureAsync(KernelArgumentTarget target, CancellationToken cancellationToken)
    {
        var entries = Files;
        var snapshot = entries.Concat(BlsEntries.GrubEnvironments).Append(KernelInstallCmdline.CmdlinePath)
            .Where(tools.Root.FileExists)
            .ToDictionary(p => p, p => tools.Root.ReadText(p));
        var result = await tools.RunAsync(ExternalTools.Grubby, Arguments(target), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            foreach (var (path, content) in snapshot)
            {
                AtomicFile.Write(tools.Root.ResolveForWrite(path), content);
            }

            throw new ToolFailedException(result, $"editing the BLS entries with grubby (the {snapshot.Count} previous files were put back)");
        }

        return new BootloaderChange(entries, [result.CommandLine]);
    }
}
