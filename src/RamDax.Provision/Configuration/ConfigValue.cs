namespace RamDax.Provision.Configuration;

/// <summary>One value of a layer and where it was written.</summary>
public sealed record ConfigValue(string? Value, SourcePosition Position);
