using System.Collections.Immutable;

namespace RamDax.Provision.Machine;

/// <summary>The command line one boot configuration (GRUB's defaults, kernel-install's <c>/etc/kernel/cmdline</c>) gives the next boot.</summary>
public sealed record BootCommandLine(string Name, ImmutableArray<BootArgument> Arguments);
