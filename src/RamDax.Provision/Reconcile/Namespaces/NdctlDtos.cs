using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile.Namespaces;

// The shapes ndctl 81 prints (captures in tests/fixtures/captures). Only what the reconcile reads;
// ndctl adds fields between versions and unknown ones are ignored. Sizes are numbers because
// `ndctl list` is never run with -u (which turns them into "2.00 GiB (2.15 GB)").

/// <summary><c>{"regions":[...]}</c>: the shape of <c>ndctl list</c> with more than one of -D/-R/-N.</summary>
internal sealed class NdctlPlatformDto
{
    [JsonPropertyName("regions")]
    public List<NdctlRegionDto>? Regions { get; set; }

    [JsonPropertyName("namespaces")]
    public List<NdctlNamespaceDto>? Namespaces { get; set; }
}

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

internal sealed class NdctlDaxRegionDto
{
    [JsonPropertyName("devices")]
    public List<NdctlDaxDeviceDto>? Devices { get; set; }
}

internal sealed class NdctlDaxDeviceDto
{
    [JsonPropertyName("chardev")]
    public string? CharDev { get; set; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(NdctlPlatformDto))]
[JsonSerializable(typeof(NdctlRegionDto))]
[JsonSerializable(typeof(NdctlNamespaceDto))]
internal sealed partial class NdctlJsonContext : JsonSerializerContext;
