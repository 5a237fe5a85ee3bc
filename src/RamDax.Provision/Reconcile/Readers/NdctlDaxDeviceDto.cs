using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile.Readers;

internal sealed class NdctlDaxDeviceDto
{
    [JsonPropertyName("chardev")]
    public string? CharDev { get; set; }
}
