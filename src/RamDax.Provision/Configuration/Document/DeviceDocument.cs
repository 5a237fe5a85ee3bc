using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary><c>namespaces[].device:</c> (devdax)</summary>
[YamlSerializable]
public sealed class DeviceDocument
{
    public string? Owner { get; set; }

    public string? Group { get; set; }

    public string? Mode { get; set; }
}
