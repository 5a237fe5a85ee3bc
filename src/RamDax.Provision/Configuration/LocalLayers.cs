using System.Collections.Immutable;

namespace RamDax.Provision.Configuration;

/// <summary>
/// The layers this machine and the command line give (image files, environment, <c>--config</c>,
/// <c>--set</c>), read once per run: the metadata step reads its <c>metadata:</c> settings from them
/// and the final load merges them with what metadata brought, without reading the files again.
/// </summary>
/// <param name="Image"><c>/etc/ramdax-provision/config.yaml</c>, then <c>config.d/*.yaml</c> in name order.</param>
/// <param name="Environment">The <c>RAMDAX_PROVISION__</c> variables.</param>
/// <param name="ConfigFiles">The <c>--config</c> files, in order.</param>
/// <param name="Sets">The <c>--set</c> pairs.</param>
/// <param name="Errors">What could not be read or parsed, reported by every load that uses these layers.</param>
public sealed record LocalLayers(
    ImmutableArray<ConfigLayer> Image,
    ConfigLayer Environment,
    ImmutableArray<ConfigLayer> ConfigFiles,
    ConfigLayer Sets,
    ImmutableArray<ConfigError> Errors);
