using RamDax.Provision.Boot;
using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// <c>reboot: kexec</c>: loads the installed kernel with the new command line and jumps into it,
/// skipping the firmware (faster, and the carved RAM is not cleared). Falls back to a normal
/// reboot whenever kexec cannot be prepared.
/// </summary>
public static class KexecReboot
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The command line for the kexec'd kernel: the running one with our arguments replaced, without BOOT_IMAGE.</summary>
    public static string CommandLine(KernelCommandLine running, KernelArgumentTarget target) =>
        string.Join(' ', KernelArgumentEdit.Apply(running.Arguments.Where(a => !a.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal)), target));

    /// <summary>Loads the kernel; false (after saying why) when a normal reboot must be used instead.</summary>
    public static async Task<bool> LoadAsync(ApplyContext context, CancellationToken cancellationToken)
    {
        var release = context.Facts.Kernel.Release;
        var kernel = $"/boot/vmlinuz-{release}";
        var initrd = new[] { $"/boot/initrd.img-{release}", $"/boot/initramfs-{release}.img" }.FirstOrDefault(context.Root.FileExists);
        if (!context.Tools.Has(ExternalTools.Kexec) || !context.Root.FileExists(kernel))
        {
            context.Say($"kexec is not available (kexec-tools installed? {kernel} present?): rebooting normally");
            return false;
        }

        var arguments = new List<string> { "-l", context.Root.Resolve(kernel) };
        if (initrd is not null)
        {
            arguments.Add("--initrd=" + context.Root.Resolve(initrd));
        }

        arguments.Add("--command-line=" + CommandLine(context.Facts.CommandLine, context.Target));
        context.Say($"loading {kernel}{(initrd is null ? "" : " and " + initrd)} with kexec -l");
        var result = await context.Runner.RunAsync(ExternalTools.Kexec, arguments, LoadTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            context.Say($"{result.CommandLine} failed ({result.StandardError.Trim()}): rebooting normally");
            return false;
        }

        return true;
    }
}
