using System.Globalization;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Parses and prints byte sizes the way kernel arguments and operators write them: binary units
/// only (<c>K</c>, <c>M</c>, <c>G</c>, <c>T</c>, <c>P</c>, optionally followed by <c>iB</c>).
/// Decimal units (<c>GB</c>) are refused because a 64 GB carve-out that is really 59.6 GiB is the
/// kind of surprise this tool exists to prevent.
/// </summary>
public static class ByteSize
{
    public const ulong KiB = 1UL << 10;
    public const ulong MiB = 1UL << 20;
    public const ulong GiB = 1UL << 30;
    public const ulong TiB = 1UL << 40;
    public const ulong PiB = 1UL << 50;

    private static readonly (char Suffix, ulong Factor)[] Units =
        [('P', PiB), ('T', TiB), ('G', GiB), ('M', MiB), ('K', KiB)];

    /// <summary>Parses <paramref name="text"/> such as <c>64G</c>, <c>512MiB</c> or <c>1073741824</c>.</summary>
    /// <returns>null with <paramref name="error"/> set when the text is not a size.</returns>
    public static ulong? TryParse(string text, out string? error)
    {
        error = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a size is empty; write it like 64G, 512M or 1073741824";
            return null;
        }

        var factor = 1UL;
        var digits = s;
        if (s.EndsWith("iB", StringComparison.Ordinal))
        {
            digits = s[..^2];
        }
        else if (s.EndsWith('B') && s.Length >= 2 && char.IsLetter(s[^2]))
        {
            error = $"'{text}' uses a decimal unit; write binary units such as {s[..^1]} or {s[..^1]}iB";
            return null;
        }

        if (digits.Length > 1 && char.IsLetter(digits[^1]) && !digits[..^1].All(char.IsAsciiDigit))
        {
            error = $"'{text}' is not a size; write a whole number with an optional unit, like 64G";
            return null;
        }

        if (digits.Length > 0 && char.IsLetter(digits[^1]))
        {
            var suffix = char.ToUpperInvariant(digits[^1]);
            var unit = Array.Find(Units, u => u.Suffix == suffix);
            if (unit.Factor == 0)
            {
                error = $"'{text}' has an unknown unit '{digits[^1]}'; use K, M, G, T or P";
                return null;
            }

            factor = unit.Factor;
            digits = digits[..^1];
        }
        else if (digits.Length != s.Length)
        {
            error = $"'{text}' is not a size; write it like 64G, 512M or 1073741824";
            return null;
        }

        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            error = digits.Length > 19 && digits.All(char.IsAsciiDigit)
                ? $"'{text}' is too large"
                : $"'{text}' is not a size; write a whole number with an optional unit, like 64G";
            return null;
        }

        if (number > ulong.MaxValue / factor)
        {
            error = $"'{text}' is too large (more than 16 EiB)";
            return null;
        }

        return number * factor;
    }

    /// <summary>
    /// The shortest exact spelling in the units that <c>memparse()</c> accepts, e.g. <c>2G</c>,
    /// <c>1536M</c>, <c>4096</c>.
    /// </summary>
    public static string FormatExact(ulong bytes)
    {
        if (bytes == 0)
        {
            return "0";
        }

        foreach (var (suffix, factor) in Units)
        {
            if (bytes % factor == 0)
            {
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A rounded, human-readable spelling such as <c>2.00 GiB</c>, for tables and messages.</summary>
    public static string FormatHuman(ulong bytes)
    {
        foreach (var (suffix, factor) in Units)
        {
            if (bytes >= factor)
            {
                return ((double)bytes / factor).ToString("0.00", CultureInfo.InvariantCulture) + " " + suffix + "iB";
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + " B";
    }

    /// <summary>Rounds <paramref name="value"/> down to a multiple of <paramref name="alignment"/>.</summary>
    public static ulong AlignDown(ulong value, ulong alignment) => value - (value % alignment);

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="alignment"/>, or null on overflow.</summary>
    public static ulong? AlignUp(ulong value, ulong alignment)
    {
        var remainder = value % alignment;
        if (remainder == 0)
        {
            return value;
        }

        var add = alignment - remainder;
        return value > ulong.MaxValue - add ? null : value + add;
    }
}
