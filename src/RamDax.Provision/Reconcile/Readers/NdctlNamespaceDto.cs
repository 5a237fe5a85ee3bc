using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile.Readers;

internal sealed class NdctlNamespaceDto
{
    [JsonPropertyName("dev")]
    public string? Dev { get; set; }

    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("size")]
    public ulong Size { get; set; }

    [JsonPropertyName("uuid")]
    public string? Uuid { get; set; }

    [JsonPropertyName("align")]
    public ulong? Align { get; set; }

    [JsonPropertyName("blockdev")]
    public string? BlockDev { get; set; }

    [JsonPropertyName("chardev")]
    public string? CharDev { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("daxregion")]
    public NdctlDaxRegionDto? DaxRegion { get; set; }
}
