using System.Globalization;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile.Devdax;

/// <summary>A device node's owner, group and mode: the names the machine gives them and the ids.</summary>
public sealed record DeviceAccess(string Owner, string Group, int Mode, string OwnerId, string GroupId)
{
    public static DeviceAccess Of(FileOwnership node, UnixAccounts accounts) => new(
        accounts.UserName(node.OwnerId), accounts.GroupName(node.GroupId), (int)node.Mode,
        node.OwnerId.ToString(CultureInfo.InvariantCulture), node.GroupId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether this is what <paramref name="wanted"/> asks for; owners and groups may be names or numbers.</summary>
    public bool Matches(DeviceAccessSettings wanted) =>
        (wanted.Owner == Owner || wanted.Owner == OwnerId)
        && (wanted.Group == Group || wanted.Group == GroupId)
        && Convert.ToInt32(wanted.Mode, 8) == Mode;

    public override string ToString() => $"{Owner}:{Group} {Convert.ToString(Mode, 8).PadLeft(4, '0')}";
}
