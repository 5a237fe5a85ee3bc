using System.Text.Json.Serialization;

namespace RamDax.Provision.Metadata.Providers.Azure;

/// <summary>One entry of <c>compute.tagsList</c>.</summary>
internal sealed class AzureTag
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}
