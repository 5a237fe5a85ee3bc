using System.Globalization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>How much of something is wanted: a number of bytes, a share of a whole, or what is left.</summary>
public abstract record SizeRequest
{
    private SizeRequest() { }

    /// <summary>An exact number of bytes.</summary>
    public sealed record Absolute(ulong Bytes) : SizeRequest
    {
        public override string ToString() => ByteSize.FormatExact(Bytes);
    }

    /// <summary>A share of the whole, in percent (0 &lt; percent &lt;= 100).</summary>
    public sealed record Share(decimal Percent) : SizeRequest
    {
        /// <summary>The share of <paramref name="whole"/>, rounded down.</summary>
        public ulong Of(ulong whole) => (ulong)decimal.Floor(whole * (Percent / 100m));

        public override string ToString() => Percent.ToString(CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>Whatever remains after every other request; allowed only for namespaces.</summary>
    public sealed record Rest : SizeRequest
    {
        public override string ToString() => "rest";
    }

    /// <summary>
    /// Parses <c>64G</c>, <c>25%</c> or (when <paramref name="allowRest"/>) <c>rest</c>.
    /// </summary>
    public static SizeRequest? TryParse(string text, bool allowRest, out string? error)
    {
        var s = text.Trim();
        if (string.Equals(s, "rest", StringComparison.OrdinalIgnoreCase))
        {
            error = allowRest ? null : "'rest' is only allowed for a namespace size";
            return allowRest ? new Rest() : null;
        }

        if (s.EndsWith('%'))
        {
            if (!decimal.TryParse(s[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
                || percent <= 0 || percent > 100)
            {
                error = $"'{text}' is not a share; write a percentage above 0 and at most 100, like 25%";
                return null;
            }

            error = null;
            return new Share(percent);
        }

        var bytes = ByteSize.TryParse(s, out error);
        if (bytes is null)
        {
            return null;
        }

        if (bytes == 0)
        {
            error = $"'{text}' is zero; a size must be positive";
            return null;
        }

        return new Absolute(bytes.Value);
    }
}
