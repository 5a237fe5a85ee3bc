using System.Collections.Immutable;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>The effective configuration after every layer is merged and validated. Immutable.</summary>
public sealed record ProvisionSettings(
    CarveoutSettings Carveout,
    ImmutableArray<NamespaceSettings> Namespaces,
    MetadataSettings Metadata,
    BootloaderKind Bootloader,
    RebootMode Reboot,
    InstanceSettings Instance)
{
    /// <summary>The directories mounts may go below: the built-in ones and the image's <c>mount_prefixes:</c>.</summary>
    public ImmutableArray<string> MountPrefixes { get; init; } = [.. MountPathRules.BuiltInPrefixes];

    /// <summary>Where the Prometheus textfile goes (<c>metrics:</c>).</summary>
    public MetricsSettings Metrics { get; init; } = MetricsSettings.Default;
}
