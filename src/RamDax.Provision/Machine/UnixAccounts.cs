using System.Globalization;

namespace RamDax.Provision.Machine;

/// <summary>
/// Users and groups as the machine under the root names them, read from its <c>/etc/passwd</c> and
/// <c>/etc/group</c> (so an image under <c>--root</c> is asked, not the host). Numeric ids are taken
/// as they are. Accounts only another NSS source knows (LDAP, systemd-userdb) are not read: a
/// configuration gives those as numbers.
/// </summary>
public sealed class UnixAccounts
{
    public const string PasswdPath = "/etc/passwd";
    public const string GroupPath = "/etc/group";

    private readonly Dictionary<string, uint> _users;
    private readonly Dictionary<string, uint> _groups;

    private UnixAccounts(Dictionary<string, uint> users, Dictionary<string, uint> groups)
    {
        _users = users;
        _groups = groups;
    }

    public static UnixAccounts Read(MachineRoot root) => new(Parse(root.TryReadText(PasswdPath)), Parse(root.TryReadText(GroupPath)));

    /// <summary>The id of a user name or number; throws a message that says what to do when there is none.</summary>
    public uint UserId(string owner) => Resolve(owner, _users, "user", PasswdPath);

    public uint GroupId(string group) => Resolve(group, _groups, "group", GroupPath);

    /// <summary>The first name the machine gives this id, else the number.</summary>
    public string UserName(uint id) => NameOf(id, _users);

    public string GroupName(uint id) => NameOf(id, _groups);

    private static uint Resolve(string name, Dictionary<string, uint> known, string kind, string file)
    {
        if (uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        return known.TryGetValue(name, out id)
            ? id
            : throw new UnknownAccountException(kind, name, file);
    }

    private static string NameOf(uint id, Dictionary<string, uint> known) =>
        known.FirstOrDefault(p => p.Value == id).Key ?? id.ToString(CultureInfo.InvariantCulture);

    // name:password:id:... lines; the first line of a name wins, as getpwnam's does.
    private static Dictionary<string, uint> Parse(string? text)
    {
        var ids = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n'))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0].Length > 0 && !fields[0].StartsWith('#')
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.TryAdd(fields[0], id);
            }
        }

        return ids;
    }
}
