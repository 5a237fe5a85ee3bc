using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Boot;

/// <summary>
/// A place kernel arguments can be made to last: GRUB, BLS entries through grubby, systemd's
/// kernel-install, or none. Each backend edits only the agent's own arguments.
/// </summary>
public interface IBootloader
{
    BootloaderKind Kind { get; }

    /// <summary>For people: what this backend writes and runs.</summary>
    string Description { get; }

    /// <summary>The files (machine paths) this backend writes.</summary>
    IReadOnlyList<string> Files { get; }

    /// <summary>Whether the next boot would get <paramref name="target"/>, judged from what the bootloader reads, not from what was written.</summary>
    bool IsConfigured(KernelArgumentTarget target);

    /// <summary>
    /// Makes the next boot get <paramref name="target"/>. Idempotent. When the rebuild fails, the
    /// previous files are put back and a <see cref="Tools.ToolFailedException"/> carries the tool's output.
    /// </summary>
    Task<BootloaderChange> ConfigureAsync(KernelArgumentTarget target, CancellationToken cancellationToken);
}
