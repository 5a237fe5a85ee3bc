using System.Collections.Immutable;
using RamDax.Provision.State;

namespace RamDax.Provision.Apply;

/// <summary>How an apply run ended.</summary>
public sealed record ApplyReport(RunResult Result, string? Message, int ExitCode, ImmutableArray<StepRecord> Steps);
