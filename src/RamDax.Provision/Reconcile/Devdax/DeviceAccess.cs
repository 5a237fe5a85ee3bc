using System.Globalization;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Reconcile.Devdax;

/// <summary>A device node's owner, group and mode, from <c>stat -c '%U %G %a %u %g'</c>.</summary>
public sealed record DeviceAccess(string Owner, string Group, int Mode, string OwnerId, string GroupId)
{
    public const string StatFormat = "%U %G %a %u %g";

    public static DeviceAccess? Parse(string stat)
    {
        var fields = stat.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5 || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        return new DeviceAccess(fields[0], fields[1], Convert.ToInt32(fields[2], 8), fields[3], fields[4]);
    }

    /// <summary>Whether this is what <paramref name="wanted"/> asks for; owners and groups may be names or numbers.</summary>
    public bool Matches(DeviceAccessSettings wanted) =>
        (wanted.Owner == Owner || wanted.Owner == OwnerId)
        && (wanted.Group == Group || wanted.Group == GroupId)
        && Convert.ToInt32(wanted.Mode, 8) == Mode;

    public override string ToString() => $"{Owner}:{Group} {Convert.ToString(Mode, 8).PadLeft(4, '0')}";
}
