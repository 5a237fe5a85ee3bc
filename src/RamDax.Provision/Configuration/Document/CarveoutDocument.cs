using Microsoft.Extensions.Configuration;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

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
