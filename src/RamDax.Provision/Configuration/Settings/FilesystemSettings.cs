using System.Collections.Immutable;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>The filesystem made on an fsdax namespace.</summary>
public sealed record FilesystemSettings(FilesystemType Type, string Label, ImmutableArray<string> MkfsOptions);
