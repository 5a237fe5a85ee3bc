using System.Text.Json.Serialization;
using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.State;

/// <summary>
/// What the agent remembers between runs, in <c>/var/lib/ramdax-provision/state.json</c>. Immutable;
/// every change is a <c>with</c> copy written atomically.
/// </summary>
public sealed record ProvisionState
{
    /// <summary>
    /// The format this agent writes: 2 since the words of enums are snake_case
    /// (<c>"result": "reboot_pending"</c>). Version 0.1.0 wrote <c>"version": 1</c> instead, with
    /// PascalCase words; that is still read (<see cref="LegacyVersion"/>).
    /// </summary>
    public const int CurrentFormat = 2;

    /// <summary>The <c>version</c> version 0.1.0 wrote in place of <see cref="Format"/>, the only one it had.</summary>
    public const int LegacyVersion = 1;

    [JsonPropertyOrder(-1)]
    public int Format { get; init; } = CurrentFormat;

    /// <summary>What a file of version 0.1.0 has in place of <see cref="Format"/>; never written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Version { get; init; }

    /// <summary>The instance this state belongs to; a different one means a new first boot.</summary>
    public string? InstanceId { get; init; }

    public KernelArgumentState KernelArguments { get; init; } = new();

    public RunRecord? LastRun { get; init; }

    /// <summary>
    /// The namespaces in place after the last every-boot run of this instance: one that is gone
    /// from a blank region was lost by a power cycle, not never made.
    /// </summary>
    public ImmutableArray<string> Namespaces { get; init; } = [];

    public static ProvisionState Empty { get; } = new();
}

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

/// <summary>Where the machine is on the way to running with the wanted arguments.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RebootState>))]
public enum RebootState
{
    /// <summary>The running kernel has what is wanted (or nothing is wanted).</summary>
    NotNeeded,

    /// <summary>The boot configuration has the arguments; a reboot (left to the operator) will make them live.</summary>
    Pending,

    /// <summary>The agent asked for the reboot.</summary>
    Requested,

    /// <summary>The agent rebooted once and the arguments are still not live; it will not reboot again.</summary>
    Failed,
}

/// <summary>One run of a command that changes the machine.</summary>
public sealed record RunRecord(
    string Command,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    RunResult Result,
    string? Message,
    ImmutableArray<StepRecord> Steps);

/// <summary>How a run ended.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RunResult>))]
public enum RunResult
{
    Running,
    Converged,
    RebootPending,
    Rebooting,
    Failed,
}

/// <summary>What one step did.</summary>
public sealed record StepRecord(string Name, StepStatus Status, string Detail);
