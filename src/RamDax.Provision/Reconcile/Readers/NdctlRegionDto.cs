using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile.Readers;

internal sealed class NdctlRegionDto
{
    [JsonPropertyName("dev")]
    public string? Dev { get; set; }

    [JsonPropertyName("size")]
    public ulong Size { get; set; }

    [JsonPropertyName("align")]
    public ulong? Align { get; set; }

    [JsonPropertyName("available_size")]
    public ulong AvailableSize { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("namespaces")]
    public List<NdctlNamespaceDto>? Namespaces { get; set; }
}
