using System.Text.Json.Serialization;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile;

/// <summary>
/// JSON of the every-boot report (<c>/run/ramdax-provision/status.json</c>) and of the plan layout
/// its digest is taken over, with the options of <see cref="Output.ProvisionJsonContext"/> (a test
/// holds them equal).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ReconcileReport))]
[JsonSerializable(typeof(Plan))]
public sealed partial class ReconcileJsonContext : JsonSerializerContext;
