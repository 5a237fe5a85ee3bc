using System.Globalization;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>Numbers as sysfs prints them: <c>0x100000000</c> (resource, align) or <c>2147483648</c> (size).</summary>
internal static class SysfsNumber
{
    public static ulong? TryParse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var s = text.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null;
        }

        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
