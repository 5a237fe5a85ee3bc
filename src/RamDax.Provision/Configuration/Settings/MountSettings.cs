using System.Collections.Immutable;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>Where and how an fsdax namespace is mounted.</summary>
public sealed record MountSettings(string Path, ImmutableArray<string> Options, string Owner, string Group, string Mode);
