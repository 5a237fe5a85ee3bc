using System.Collections.Immutable;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Configuration;

/// <summary>Where configuration comes from for one run.</summary>
/// <param name="Root">The machine root; image files are read from <c>ROOT/etc/ramdax-provision</c>.</param>
/// <param name="ConfigFiles"><c>--config</c> files, in order (plain YAML or <c>#cloud-config</c>).</param>
/// <param name="Sets"><c>--set key=value</c> pairs, in order.</param>
/// <param name="Environment">
/// The <c>RAMDAX_PROVISION__</c> variables already turned into keys; null reads the process environment.
/// </param>
public sealed record ConfigurationRequest(
    MachineRoot Root,
    ImmutableArray<string> ConfigFiles,
    ImmutableArray<string> Sets,
    IReadOnlyList<KeyValuePair<string, string?>>? Environment = null)
{
    /// <summary>
    /// Layers from instance metadata (tags, attributes, user-data), weaker than the cloud-init
    /// <c>ramdax:</c> key, which comes in <see cref="CloudInitLayers"/>.
    /// </summary>
    public ImmutableArray<ConfigLayer> MetadataLayers { get; init; } = [];

    /// <summary>
    /// The local layers once read (<see cref="ConfigurationLoader.ReadLocal"/>); null reads them
    /// when they are needed.
    /// </summary>
    public LocalLayers? Local { get; init; }

    /// <summary>Layers from cloud-init's merged cloud-config (<c>ramdax:</c> key).</summary>
    public ImmutableArray<ConfigLayer> CloudInitLayers { get; init; } = [];
}
