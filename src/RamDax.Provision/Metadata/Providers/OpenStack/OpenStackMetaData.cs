using System.Text.Json.Serialization;

namespace RamDax.Provision.Metadata.Providers.OpenStack;

/// <summary>The part of OpenStack's <c>openstack/latest/meta_data.json</c> the agent reads.</summary>
internal sealed class OpenStackMetaData
{
    [JsonPropertyName("uuid")]
    public string? Uuid { get; set; }

    [JsonPropertyName("availability_zone")]
    public string? AvailabilityZone { get; set; }

    /// <summary>The flavor; Nova only exposes it in some deployments.</summary>
    [JsonPropertyName("instance_type")]
    public string? InstanceType { get; set; }

    /// <summary>The server's metadata key/value pairs (<c>openstack server set --property ramdax=...</c>).</summary>
    [JsonPropertyName("meta")]
    public Dictionary<string, string>? Meta { get; set; }
}
