using Microsoft.Extensions.Configuration;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

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

    /// <summary>The NUMA node whose carve-out must hold the namespace, or <c>each</c>: one namespace on every node.</summary>
    [ConfigurationKeyName("numa_node")]
    public string? NumaNode { get; set; }
}
