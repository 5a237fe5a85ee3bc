using System.Text.Json;
using System.Text.Json.Serialization;

namespace RamDax.Provision;

/// <summary>
/// JSON of an enum as its <see cref="EnumWords.Word{T}"/>: put on each enum the agent stores or
/// prints, so every source-generated context writes and reads the same words (NativeAOT-safe: no
/// reflection beyond the enum's own names).
/// </summary>
public sealed class SnakeCaseEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return EnumWords.TryParse<T>(text, out var value)
            ? value
            : throw new JsonException($"{(text is null ? "a " + reader.TokenType : "'" + text + "'")} is not one of: {string.Join(", ", EnumWords.All<T>())}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Word());
}
