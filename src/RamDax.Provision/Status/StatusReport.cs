using RamDax.Provision.State;
using System.Text.Json.Serialization;

namespace RamDax.Provision.Status;

/// <summary><c>ramdax-provision status</c>: what is wanted, what runs, what the last run did.</summary>
public sealed record StatusReport(
    string? InstanceId,
    KernelArgumentStatus KernelArguments,
    RunRecord? LastRun,
    Reconcile.ReconcileReport? Reconcile)
{
    /// <summary>The format of this JSON; it grows when a field changes its meaning or its words.</summary>
    public const int CurrentFormat = 1;

    [JsonPropertyOrder(-1)]
    public int Format { get; init; } = CurrentFormat;
}
