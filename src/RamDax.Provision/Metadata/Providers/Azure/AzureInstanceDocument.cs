using System.Text.Json.Serialization;

namespace RamDax.Provision.Metadata.Providers.Azure;

/// <summary>The part of Azure IMDS <c>/metadata/instance</c> (api-version 2021-02-01) the agent reads.</summary>
internal sealed class AzureInstanceDocument
{
    [JsonPropertyName("compute")]
    public AzureCompute? Compute { get; set; }
}

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

/// <summary>One entry of <c>compute.tagsList</c>.</summary>
internal sealed class AzureTag
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}
