using System.Text.Json.Serialization;

namespace RamDax.Provision.Metadata.Providers.Azure;

/// <summary><c>compute</c> of the Azure instance document.</summary>
internal sealed class AzureCompute
{
    [JsonPropertyName("vmId")]
    public string? VmId { get; set; }

    [JsonPropertyName("vmSize")]
    public string? VmSize { get; set; }

    [JsonPropertyName("location")]
    public string? Location { get; set; }

    [JsonPropertyName("userData")]
    public string? UserData { get; set; }

    [JsonPropertyName("tagsList")]
    public List<AzureTag>? TagsList { get; set; }
}
