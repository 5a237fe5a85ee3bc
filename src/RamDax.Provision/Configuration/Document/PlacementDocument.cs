using Microsoft.Extensions.Configuration;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary><c>carveout.placement:</c></summary>
[YamlSerializable]
public sealed class PlacementDocument
{
    [ConfigurationKeyName("min_address")]
    public string? MinAddress { get; set; }

    public string? Order { get; set; }

    public string? Numa { get; set; }
}
