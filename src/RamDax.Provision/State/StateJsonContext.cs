using System.Text.Json.Serialization;

namespace RamDax.Provision.State;

/// <summary>Source-generated JSON for the state file and the status report.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ProvisionState))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(Reconcile.ReconcileReport))]
public sealed partial class StateJsonContext : JsonSerializerContext;
