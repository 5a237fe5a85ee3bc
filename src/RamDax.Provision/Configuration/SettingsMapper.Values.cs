using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RamDax.Provision.Configuration;

// The readers of single values: each parses one written value, reports what is wrong with it at
// its key and falls back to the default, so that one bad value does not hide the others.
public sealed partial class SettingsMapper
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    private ulong Size(string key, string? text, ulong fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        var bytes = ByteSize.TryParse(text, out var error);
        if (bytes is null)
        {
            Error(key, error!);
            return fallback;
        }

        return bytes.Value;
    }

    private int Int(string key, string? text, int fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            Error(key, $"'{text}' is not a whole number");
            return fallback;
        }

        return value;
    }

    private bool Bool(string key, string? text, bool fallback)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null:
                return fallback;
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                Error(key, $"'{text}' is not true or false");
                return fallback;
        }
    }

    private TimeSpan Duration(string key, string? text, TimeSpan fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            Error(key, $"'{text}' is not a duration; write it like 30s, 500ms or 2m");
            return fallback;
        }

        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = match.Groups[2].Value switch
        {
            "ms" => number / 1000,
            "m" => number * 60,
            _ => number,
        };
        if (seconds > MaxDuration.TotalSeconds)
        {
            Error(key, $"'{text}' is longer than {MaxDuration.TotalMinutes:0} minutes; a first boot cannot wait that long for metadata");
            return fallback;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private T Enum<T>(string key, string? text, T fallback)
        where T : struct, System.Enum
    {
        if (text is null)
        {
            return fallback;
        }

        // One word only: Enum.TryParse also reads numbers and flag lists ("grub, bls").
        var normalized = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (normalized.Length > 0 && normalized.All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetter(normalized[0])
            && System.Enum.TryParse<T>(normalized, ignoreCase: true, out var value))
        {
            return value;
        }

        Error(key, $"'{text}' is not one of: {string.Join(", ", EnumWords.All<T>())}");
        return fallback;
    }

    private string Word(string key, string? text, string fallback, params string[] allowed)
    {
        if (text is null)
        {
            return fallback;
        }

        if (allowed.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return text.Trim().ToLowerInvariant();
        }

        Error(key, $"'{text}' is not one of: {string.Join(", ", allowed)}");
        return fallback;
    }

    private Uri? Endpoint(string key, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Error(key, $"'{UrlRedaction.Redact(text)}' is not an http:// or https:// URL");
            return null;
        }

        return uri;
    }

    private string Account(string key, string? text, string fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (NamespaceRules.AccountProblem(text) is { } problem)
        {
            Error(key, problem);
        }

        return text;
    }

    private string FileMode(string key, string? text, string fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (NamespaceRules.ModeProblem(text) is { } problem)
        {
            Error(key, problem);
        }

        return text.Length == 3 ? "0" + text : text;
    }

    // A list of words; an item written empty ("- ", "[~]", "[null]") binds as null and is read as
    // an empty word, which the rules for the list's items refuse at the item's own key.
    private static ImmutableArray<string> Items(List<string?>? items) => items is null ? [] : [.. items.Select(item => item ?? "")];

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$")]
    private static partial Regex DurationPattern();
}
