using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary><c>instance:</c> (normally filled by metadata; settable for testing and overrides)</summary>
[YamlSerializable]
public sealed class InstanceDocument
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public string? Cloud { get; set; }
}
