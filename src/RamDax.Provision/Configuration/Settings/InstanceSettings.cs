namespace RamDax.Provision.Configuration.Settings;

/// <summary>What is known or forced about the instance (from <c>--set instance.type=...</c> or metadata).</summary>
public sealed record InstanceSettings(string? Id, string? Type, string? Cloud);
