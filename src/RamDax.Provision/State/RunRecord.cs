using System.Collections.Immutable;

namespace RamDax.Provision.State;

/// <summary>One run of a command that changes the machine.</summary>
public sealed record RunRecord(
    string Command,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    RunResult Result,
    string? Message,
    ImmutableArray<StepRecord> Steps);
