using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile.Readers;

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(NdctlPlatformDto))]
[JsonSerializable(typeof(NdctlRegionDto))]
[JsonSerializable(typeof(NdctlNamespaceDto))]
internal sealed partial class NdctlJsonContext : JsonSerializerContext;
