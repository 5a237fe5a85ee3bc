using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile;

/// <summary>The reconcile report as JSON (<c>--format json</c> and the status file): snake_case, states as words.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ReconcileReport))]
public sealed partial class ReconcileJsonContext : JsonSerializerContext;
