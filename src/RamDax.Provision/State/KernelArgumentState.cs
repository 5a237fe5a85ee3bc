using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.State;

/// <summary>The kernel-argument side of the state.</summary>
public sealed record KernelArgumentState
{
    /// <summary>What the last plan wanted.</summary>
    public ImmutableArray<string> Wanted { get; init; } = [];

    /// <summary>Every argument this agent wrote into the boot configuration and has not removed: the only ones it may ever remove.</summary>
    public ImmutableArray<string> Owned { get; init; } = [];

    /// <summary>The backend that wrote them.</summary>
    public BootloaderKind? Backend { get; init; }

    /// <summary>The files that backend wrote.</summary>
    public ImmutableArray<string> Files { get; init; } = [];

    public RebootState Reboot { get; init; } = RebootState.NotNeeded;

    /// <summary>The wanted arguments a reboot was requested for: at most one reboot per wanted state.</summary>
    public ImmutableArray<string>? RebootedFor { get; init; }

    /// <summary>The boot (kernel boot_id) that requested the reboot; a different boot means the reboot happened.</summary>
    public string? RebootRequestedInBoot { get; init; }

    public DateTimeOffset? RebootRequestedAt { get; init; }

    /// <summary>Why the arguments are not live, when a reboot did not bring them.</summary>
    public string? Error { get; init; }
}
