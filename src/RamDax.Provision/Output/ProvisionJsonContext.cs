using System.Text.Json.Serialization;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Output;

/// <summary>
/// System.Text.Json source generation for everything the agent prints or stores as JSON (the plan,
/// the state file, the status and the every-boot report):
/// snake_case names, enums as their <see cref="EnumWords"/> word (each enum carries <see cref="SnakeCaseEnumConverter{T}"/>),
/// sizes as plain byte counts.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]

[JsonSerializable(typeof(Plan))]
[JsonSerializable(typeof(ExplainedSetting[]))]
[JsonSerializable(typeof(State.ProvisionState))]
[JsonSerializable(typeof(Status.StatusReport))]
[JsonSerializable(typeof(Reconcile.ReconcileReport))]
public sealed partial class ProvisionJsonContext : JsonSerializerContext;
