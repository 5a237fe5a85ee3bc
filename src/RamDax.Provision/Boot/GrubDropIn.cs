using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Boot;

/// <summary>
/// Debian and Ubuntu GRUB: the agent owns one drop-in, <c>/etc/default/grub.d/ramdax-provision.cfg</c>,
/// that appends its arguments to <c>GRUB_CMDLINE_LINUX_DEFAULT</c> (as kdump-tools does for
/// crashkernel=), then rebuilds grub.cfg. <c>/etc/default/grub</c> itself is never touched, so
/// arguments someone typed there are safe, and removing the drop-in removes exactly ours.
/// </summary>
public sealed class GrubDropIn(BootTools tools) : IBootloader
{
    public const string DropInPath = "/etc/default/grub.d/ramdax-provision.cfg";
    public const string DefaultGrubCfg = "/boot/grub/grub.cfg";

    private MachineRoot Root => tools.Root;

    public BootloaderKind Kind => BootloaderKind.Grub;

    public string Description => $"GRUB drop-in {DropInPath}, rebuilt with {RebuildCommandText}";

    public IReadOnlyList<string> Files => [DropInPath, GrubCfgPath];

    private string GrubCfgPath => GrubConfigFile.Find(Root) ?? DefaultGrubCfg;

    private string RebuildCommandText => tools.Has(ExternalTools.UpdateGrub) ? ExternalTools.UpdateGrub : $"{ExternalTools.GrubMkconfig} -o {GrubCfgPath}";

    /// <summary>The drop-in for <paramref name="wanted"/>; null when nothing is wanted (the file goes away).</summary>
    public static string? Render(ImmutableArray<string> wanted) => wanted.IsEmpty
        ? null
        : EmbeddedTemplates.Render(EmbeddedTemplates.GrubDropIn, new Dictionary<string, string> { ["ARGUMENTS"] = string.Join(' ', wanted) });

    public bool IsConfigured(KernelArgumentTarget target)
    {
        if (Root.TryReadText(DropInPath) != Render(target.Wanted))
        {
            return false;
        }

        var grubCfg = GrubConfigFile.Find(Root);
        if (grubCfg is null)
        {
            return target.Wanted.IsEmpty;
        }

        var lines = GrubConfigFile.NormalLinuxLines(Root, grubCfg);
        return lines.Count > 0 && lines.All(l => KernelArgumentEdit.Carries(l, target));
    }

    public async Task<BootloaderChange> ConfigureAsync(KernelArgumentTarget target, CancellationToken cancellationToken)
    {
        var path = Root.ResolveForWrite(DropInPath);
        var previous = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
        var content = Render(target.Wanted);
        if (content is null)
        {
            AtomicFile.Delete(path);
        }
        else
        {
            AtomicFile.Write(path, content);
        }

        var (tool, arguments) = RebuildCommand();
        var result = await tools.RunAsync(tool, arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            AtomicFile.Restore(path, previous);
            throw new ToolFailedException(result, $"rebuilding the GRUB menu after writing {DropInPath} (the previous drop-in was put back)");
        }

        return new BootloaderChange([DropInPath, GrubCfgPath], [result.CommandLine]);
    }

    private (string Tool, string[] Arguments) RebuildCommand() =>
        tools.Has(ExternalTools.UpdateGrub)
            ? (ExternalTools.UpdateGrub, [])
            : (ExternalTools.GrubMkconfig, ["-o", GrubCfgPath]);
}
