using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Boot;

/// <summary>
/// Runs the tools that act on the boot configuration (update-grub, grubby, kernel-install) for the
/// machine under <c>--root</c>. When the root is not <c>/</c> they run inside it with
/// <c>chroot ROOT tool ...</c>, because they read <c>/etc</c> and write <c>/boot</c> at fixed paths:
/// run on the host they would rebuild the host's boot menu, not the image's.
/// </summary>
public sealed class BootTools(MachineRoot root, IToolRunner runner)
{
    private static readonly string[] SearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    public static TimeSpan RebuildTimeout { get; } = TimeSpan.FromMinutes(5);

    public MachineRoot Root => root;

    public IToolRunner Runner => runner;

    public bool ChangesAnImage => root.Path != "/";

    /// <summary>Whether <paramref name="tool"/> is installed on the machine under the root.</summary>
    public bool Has(string tool) => SearchPath.Any(dir => root.FileExists($"{dir}/{tool}"));

    public Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ChangesAnImage
            ? runner.RunAsync(ExternalTools.Chroot, [root.Path, tool, .. arguments], RebuildTimeout, cancellationToken: cancellationToken)
            : runner.RunAsync(tool, arguments, RebuildTimeout, cancellationToken: cancellationToken);
}
