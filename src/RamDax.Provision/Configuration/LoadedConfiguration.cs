using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

/// <summary>The merged layers and the settings they give.</summary>
public sealed record LoadedConfiguration(LayeredConfiguration Layers, ProvisionSettings Settings, string? Profile)
{
    /// <summary>The guarded settings the image lets instance metadata and user-data set (see <see cref="TrustPolicy"/>).</summary>
    public IReadOnlySet<string> MetadataMaySet { get; init; } = new HashSet<string>();
}
