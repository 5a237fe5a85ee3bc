using System.Text.Json.Serialization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>The sources of instance metadata.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetadataSource>))]
public enum MetadataSource
{
    Auto,
    CloudInit,
    NoCloud,
    Azure,
    Aws,
    Gce,
    OpenStack,
    None,
}
