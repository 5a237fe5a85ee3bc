using System.Text.Json.Serialization;

namespace RamDax.Provision.Metadata.Providers.Azure;

/// <summary>The part of Azure IMDS <c>/metadata/instance</c> (api-version 2021-02-01) the agent reads.</summary>
internal sealed class AzureInstanceDocument
{
    [JsonPropertyName("compute")]
    public AzureCompute? Compute { get; set; }
}
