using System.Text.Json.Serialization;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Output;

/// <summary>
/// System.Text.Json source generation for everything the agent prints or stores as JSON:
/// snake_case names, enums as words, sizes as plain byte counts.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters =
    [
        typeof(SnakeCaseEnumConverter<DriverKind>),
        typeof(SnakeCaseEnumConverter<NamespaceMode>),
        typeof(SnakeCaseEnumConverter<FilesystemType>),
    ],
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Plan))]
[JsonSerializable(typeof(ExplainedSetting[]))]
public sealed partial class ProvisionJsonContext : JsonSerializerContext;

/// <summary>One line of <c>plan --explain</c>: an effective key, its value and the layer that set it.</summary>
public sealed record ExplainedSetting(string Key, string? Value, string Source);
