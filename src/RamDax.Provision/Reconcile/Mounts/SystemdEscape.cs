using System.Text;

namespace RamDax.Provision.Reconcile.Mounts;

/// <summary>
/// <c>systemd-escape --path</c>, which names mount units after their mount point: the path is
/// simplified (repeated and trailing slashes dropped), its leading slash removed, each <c>/</c>
/// becomes <c>-</c>, ASCII letters, digits, <c>:</c>, <c>_</c> and <c>.</c> stay (except a leading
/// <c>.</c>), every other byte of its UTF-8 form becomes <c>\xNN</c>; <c>/</c> itself is <c>-</c>.
/// </summary>
public static class SystemdEscape
{
    public static string Path(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
        {
            throw new ArgumentException($"'{path}' is not a normalized path (it has a .. component)", nameof(path));
        }

        if (parts.Count == 0)
        {
            return "-";
        }

        var text = new StringBuilder();
        var bytes = Encoding.UTF8.GetBytes(string.Join('/', parts));
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == (byte)'/')
            {
                text.Append('-');
            }
            else if (IsKept(b) && !(i == 0 && b == (byte)'.'))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append($"\\x{b:x2}");
            }
        }

        return text.ToString();
    }

    /// <summary>The name of the mount unit for <paramref name="mountPoint"/>.</summary>
    public static string MountUnit(string mountPoint) => Path(mountPoint) + ".mount";

    private static bool IsKept(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)':' or (byte)'_' or (byte)'.';
}
