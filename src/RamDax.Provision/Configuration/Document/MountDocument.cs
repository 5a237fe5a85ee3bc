using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary><c>namespaces[].mount:</c></summary>
[YamlSerializable]
public sealed class MountDocument
{
    public string? Path { get; set; }

    public List<string?>? Options { get; set; }

    public string? Owner { get; set; }

    public string? Group { get; set; }

    public string? Mode { get; set; }
}
