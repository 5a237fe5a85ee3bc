using System.Text.Json;
using System.Text.Json.Serialization;

namespace RamDax.Provision.Output;

/// <summary>Writes enum values as snake_case words (<c>fsdax</c>, <c>nd_e820</c>, <c>highest_first</c>).</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
