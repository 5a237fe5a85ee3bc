namespace RamDax.Provision.State;

/// <summary>What one step did.</summary>
public sealed record StepRecord(string Name, StepStatus Status, string Detail);
