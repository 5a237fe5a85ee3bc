using Microsoft.Extensions.Configuration;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

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
