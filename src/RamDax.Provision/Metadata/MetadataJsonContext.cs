using System.Text.Json.Serialization;
using RamDax.Provision.Metadata.Providers.Azure;
using RamDax.Provision.Metadata.Providers.OpenStack;

namespace RamDax.Provision.Metadata;

/// <summary>System.Text.Json source generation for the metadata documents with a fixed, documented shape.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(AzureInstanceDocument))]
[JsonSerializable(typeof(OpenStackMetaData))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
