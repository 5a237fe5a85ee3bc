using System.Text.Json.Serialization;
using RamDax.Provision.Planning;

namespace RamDax.Provision.State;

/// <summary>
/// JSON of the files the agent keeps (<c>state.json</c>, the recorded <c>plan.json</c>), with the
/// options of <see cref="Output.ProvisionJsonContext"/> (a test holds them equal): each layer has
/// its own context so that no folder reaches up for the one that prints.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ProvisionState))]
[JsonSerializable(typeof(Plan))]
public sealed partial class StateJsonContext : JsonSerializerContext;
