using Microsoft.Extensions.Configuration;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary><c>namespaces[].filesystem:</c></summary>
[YamlSerializable]
public sealed class FilesystemDocument
{
    public string? Type { get; set; }

    public string? Label { get; set; }

    [ConfigurationKeyName("mkfs_options")]
    public List<string?>? MkfsOptions { get; set; }
}
