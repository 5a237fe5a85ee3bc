using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.State;

namespace RamDax.Provision.Apply;

/// <summary>How an apply run ended.</summary>
public sealed record ApplyReport(RunResult Result, string? Message, int ExitCode, ImmutableArray<StepRecord> Steps)
{
    /// <summary>Where the configuration of this run puts the Prometheus textfile.</summary>
    public string MetricsTextfile { get; init; } = MetricsSettings.DefaultTextfile;
}
