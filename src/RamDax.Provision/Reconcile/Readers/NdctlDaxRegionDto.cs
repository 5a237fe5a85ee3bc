using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile.Readers;

internal sealed class NdctlDaxRegionDto
{
    [JsonPropertyName("devices")]
    public List<NdctlDaxDeviceDto>? Devices { get; set; }
}
