using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Boot;

/// <summary>
/// <c>bootloader: none</c>, or nothing the agent knows how to edit: nothing is written and the
/// operator is told which arguments to set.
/// </summary>
public sealed class NoBootloader : IBootloader
{
    public BootloaderKind Kind => BootloaderKind.None;

    public string Description => "none (the operator sets the kernel arguments)";

    public IReadOnlyList<string> Files => [];

    public bool IsConfigured(KernelArgumentTarget target) => target.IsEmpty;

    public Task<BootloaderChange> ConfigureAsync(KernelArgumentTarget target, CancellationToken cancellationToken) =>
        throw new BootConfigurationException(
            "no bootloader backend is in use (bootloader: none, or none was detected), so the kernel arguments were not written; "
            + $"add them yourself: {string.Join(' ', target.Wanted)}"
            + (target.Stale.IsEmpty ? "" : $" and remove: {string.Join(' ', target.Stale)}")
            + "; or set bootloader: grub, bls or kernel-install");
}
