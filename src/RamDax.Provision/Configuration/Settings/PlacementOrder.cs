using System.Text.Json.Serialization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>Which usable firmware ranges are filled first.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PlacementOrder>))]
public enum PlacementOrder
{
    /// <summary>Highest addresses first (the default: keeps low memory for the kernel and DMA).</summary>
    HighestFirst,

    /// <summary>Lowest addresses (at or above the minimum address) first.</summary>
    LowestFirst,
}
