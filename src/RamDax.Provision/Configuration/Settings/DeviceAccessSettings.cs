namespace RamDax.Provision.Configuration.Settings;

/// <summary>Owner, group and mode of a devdax character device.</summary>
public sealed record DeviceAccessSettings(string Owner, string Group, string Mode);
