using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary><c>metrics:</c> where the node-exporter textfile goes (image files only).</summary>
[YamlSerializable]
public sealed class MetricsDocument
{
    public string? Textfile { get; set; }
}
