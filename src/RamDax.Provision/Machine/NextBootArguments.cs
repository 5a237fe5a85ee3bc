using System.Collections.Immutable;

namespace RamDax.Provision.Machine;

/// <summary>One kernel argument a boot configuration gives the next boot, and where it is written (<c>/etc/default/grub line 6</c>).</summary>
public sealed record BootArgument(string Argument, string Source);

/// <summary>The command line one boot configuration (GRUB's defaults, kernel-install's <c>/etc/kernel/cmdline</c>) gives the next boot.</summary>
public sealed record BootCommandLine(string Name, ImmutableArray<BootArgument> Arguments);

/// <summary>
/// The kernel arguments the boot configuration holds for the next boot, besides the running
/// command line: what someone wrote there and has not booted yet counts as much as what is live.
/// The agent's own GRUB drop-in is not part of it. <see cref="Notes"/> says what could not be read.
/// </summary>
public sealed record NextBootArguments(ImmutableArray<BootCommandLine> CommandLines, ImmutableArray<string> Notes)
{
    public static NextBootArguments None { get; } = new([], []);
}
