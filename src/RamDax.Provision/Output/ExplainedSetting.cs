namespace RamDax.Provision.Output;

/// <summary>One line of <c>plan --explain</c>: an effective key, its value and the layer that set it.</summary>
public sealed record ExplainedSetting(string Key, string? Value, string Source);
