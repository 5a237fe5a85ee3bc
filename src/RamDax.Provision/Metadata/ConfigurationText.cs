using System.Text;

namespace RamDax.Provision.Metadata;

/// <summary>Small rules for the texts tags and attributes carry.</summary>
public static class ConfigurationText
{
    /// <summary>
    /// A tag value may be base64 because some consoles and tools cannot carry newlines. A YAML
    /// mapping always holds a ':', base64 never does, so a value without ':' that decodes to UTF-8
    /// text is taken as base64.
    /// </summary>
    public static string DecodeTag(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || trimmed.Contains(':', StringComparison.Ordinal))
        {
            return value;
        }

        return TryDecodeBase64(trimmed) ?? value;
    }

    /// <summary>Decodes base64 into UTF-8 text; null when it is not base64 of UTF-8 text.</summary>
    public static string? TryDecodeBase64(string value)
    {
        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var length))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
