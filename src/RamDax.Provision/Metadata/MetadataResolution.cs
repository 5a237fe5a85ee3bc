using System.Collections.Immutable;
using RamDax.Provision.Configuration;

namespace RamDax.Provision.Metadata;

/// <summary>The metadata step's outcome and the configuration layers it contributes.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="MetadataLayers">The <c>instance:</c> layer, then tags and user-data, weakest first.</param>
/// <param name="CloudInitLayers">cloud-init's merged <c>ramdax:</c> key.</param>
public sealed record MetadataResolution(
    MetadataOutcome Outcome,
    ImmutableArray<ConfigLayer> MetadataLayers,
    ImmutableArray<ConfigLayer> CloudInitLayers)
{
    /// <summary><paramref name="request"/> with this step's layers in their places.</summary>
    public ConfigurationRequest ApplyTo(ConfigurationRequest request) =>
        request with { MetadataLayers = MetadataLayers, CloudInitLayers = CloudInitLayers };
}
