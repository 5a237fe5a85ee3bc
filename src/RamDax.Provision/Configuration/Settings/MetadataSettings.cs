namespace RamDax.Provision.Configuration.Settings;

/// <summary>Where the instance's identity and configuration come from.</summary>
public sealed record MetadataSettings(MetadataSource Source, Uri? Endpoint, bool Required, TimeSpan Budget, bool AllowImdsV1);
