using Microsoft.Extensions.Configuration;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

// The configuration file as written: plain mutable classes, because YamlDotNet's static generator
// and the configuration binder generator both need settable properties. Every scalar is a string
// so that one mapper (SettingsMapper) parses sizes, numbers and words with one error style, and
// reports every problem with its position instead of stopping at the first. Property names map to
// snake_case keys: YamlDotNet through UnderscoredNamingConvention, the binder through
// ConfigurationKeyName. A list item written empty ("- ", "[~]", "[null]") binds as a null item,
// so lists of words hold string?.

/// <summary>A whole configuration document (a file, a cloud-config <c>ramdax:</c> key, or a profile).</summary>
[YamlSerializable]
public sealed class ConfigDocument
{
    public CarveoutDocument? Carveout { get; set; }

    public List<NamespaceDocument>? Namespaces { get; set; }

    public Dictionary<string, ConfigDocument>? Profiles { get; set; }

    public MetadataDocument? Metadata { get; set; }

    public string? Bootloader { get; set; }

    public string? Reboot { get; set; }

    public InstanceDocument? Instance { get; set; }

    public MetricsDocument? Metrics { get; set; }

    /// <summary>Directories below which mounts may go besides the built-in ones (image files only).</summary>
    [ConfigurationKeyName("mount_prefixes")]
    public List<string?>? MountPrefixes { get; set; }

    /// <summary>The guarded settings that metadata layers may set (image files only).</summary>
    [ConfigurationKeyName("metadata_may_set")]
    public List<string?>? MetadataMaySet { get; set; }
}
