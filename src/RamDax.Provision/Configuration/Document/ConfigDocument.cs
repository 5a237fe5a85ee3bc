using Microsoft.Extensions.Configuration;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

// The configuration file as written: plain mutable classes, because YamlDotNet's static generator
// and the configuration binder generator both need settable properties. Every scalar is a string
// so that one mapper (SettingsMapper) parses sizes, numbers and words with one error style, and
// reports every problem with its position instead of stopping at the first. Property names map to
// snake_case keys: YamlDotNet through UnderscoredNamingConvention, the binder through
// ConfigurationKeyName.

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

    /// <summary>Directories below which mounts may go besides the built-in ones (image files only).</summary>
    [ConfigurationKeyName("mount_prefixes")]
    public List<string>? MountPrefixes { get; set; }

    /// <summary>The guarded settings that metadata layers may set (image files only).</summary>
    [ConfigurationKeyName("metadata_may_set")]
    public List<string>? MetadataMaySet { get; set; }
}

/// <summary><c>carveout:</c></summary>
[YamlSerializable]
public sealed class CarveoutDocument
{
    public string? Size { get; set; }

    [ConfigurationKeyName("min_os_memory")]
    public string? MinOsMemory { get; set; }

    public string? Alignment { get; set; }

    public PlacementDocument? Placement { get; set; }

    [ConfigurationKeyName("max_ranges")]
    public string? MaxRanges { get; set; }

    [ConfigurationKeyName("adopt_foreign_pmem")]
    public string? AdoptForeignPmem { get; set; }
}

/// <summary><c>carveout.placement:</c></summary>
[YamlSerializable]
public sealed class PlacementDocument
{
    [ConfigurationKeyName("min_address")]
    public string? MinAddress { get; set; }

    public string? Order { get; set; }

    public string? Numa { get; set; }
}

/// <summary>One entry of <c>namespaces:</c></summary>
[YamlSerializable]
public sealed class NamespaceDocument
{
    public string? Name { get; set; }

    public string? Mode { get; set; }

    public string? Size { get; set; }

    public string? Alignment { get; set; }

    public FilesystemDocument? Filesystem { get; set; }

    public MountDocument? Mount { get; set; }

    public DeviceDocument? Device { get; set; }

    public string? Wipe { get; set; }

    public string? Reconfigure { get; set; }
}

/// <summary><c>namespaces[].filesystem:</c></summary>
[YamlSerializable]
public sealed class FilesystemDocument
{
    public string? Type { get; set; }

    public string? Label { get; set; }

    [ConfigurationKeyName("mkfs_options")]
    public List<string>? MkfsOptions { get; set; }
}

/// <summary><c>namespaces[].mount:</c></summary>
[YamlSerializable]
public sealed class MountDocument
{
    public string? Path { get; set; }

    public List<string>? Options { get; set; }

    public string? Owner { get; set; }

    public string? Group { get; set; }

    public string? Mode { get; set; }
}

/// <summary><c>namespaces[].device:</c> (devdax)</summary>
[YamlSerializable]
public sealed class DeviceDocument
{
    public string? Owner { get; set; }

    public string? Group { get; set; }

    public string? Mode { get; set; }
}

/// <summary><c>metadata:</c></summary>
[YamlSerializable]
public sealed class MetadataDocument
{
    public string? Source { get; set; }

    public string? Endpoint { get; set; }

    public string? Required { get; set; }

    public string? Budget { get; set; }

    [ConfigurationKeyName("allow_imdsv1")]
    public string? AllowImdsv1 { get; set; }
}

/// <summary><c>instance:</c> (normally filled by metadata; settable for testing and overrides)</summary>
[YamlSerializable]
public sealed class InstanceDocument
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public string? Cloud { get; set; }
}
