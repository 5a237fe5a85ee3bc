using System.Collections.Immutable;

namespace RamDax.Provision.Machine;

/// <summary>
/// The kernel arguments the boot configuration holds for the next boot, besides the running
/// command line: what someone wrote there and has not booted yet counts as much as what is live.
/// The agent's own GRUB drop-in is not part of it. <see cref="Notes"/> says what could not be read.
/// </summary>
public sealed record NextBootArguments(ImmutableArray<BootCommandLine> CommandLines, ImmutableArray<string> Notes)
{
    public static NextBootArguments None { get; } = new([], []);
}
