using System.Text.Json.Serialization;
using System.Collections.Immutable;

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
