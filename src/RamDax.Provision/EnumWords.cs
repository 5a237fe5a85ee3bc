using System.Collections.Frozen;
using System.Text.Json;

namespace RamDax.Provision;

/// <summary>
/// The one word of every value of the agent's enums, the same in JSON, text, journal fields and
/// metric labels: the snake_case of its name (<c>RebootPending</c> is <c>reboot_pending</c>).
/// </summary>
public static class EnumWords
{
    /// <summary>The word of <paramref name="value"/>.</summary>
    public static string Word<T>(this T value)
        where T : struct, Enum =>
        Words<T>.ByValue.TryGetValue(value, out var word) ? word : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(T).Name}");

    /// <summary>
    /// The value a word names; the PascalCase names version 0.1.0 wrote (<c>RebootPending</c>) are
    /// read too, so files it left behind still read after an upgrade. Nothing else (no numbers, no
    /// other case) is a value.
    /// </summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        return text is not null && Words<T>.ByWord.TryGetValue(text, out value);
    }

    /// <summary>Every word of <typeparamref name="T"/>, in declaration order, for messages that list them.</summary>
    public static IEnumerable<string> All<T>()
        where T : struct, Enum => Enum.GetValues<T>().Select(v => v.Word());

    private static class Words<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue =
            Enum.GetValues<T>().Distinct().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(Enum.GetName(v)!));

        public static readonly FrozenDictionary<string, T> ByWord =
            ByValue.Select(p => KeyValuePair.Create(p.Value, p.Key))
                .Concat(ByValue.Keys.Select(v => KeyValuePair.Create(Enum.GetName(v)!, v)))
                .DistinctBy(p => p.Key, StringComparer.Ordinal)
                .ToFrozenDictionary(StringComparer.Ordinal);
    }
}
