using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>The mounts of the machine, from <c>/proc/self/mountinfo</c>.</summary>
public sealed record MountTable(ImmutableArray<MountEntry> Entries)
{
    public const string MountInfoPath = "/proc/self/mountinfo";

    public static MountTable Read(MachineRoot root) => Parse(root.TryReadText(MountInfoPath) ?? "");

    /// <summary>
    /// Parses mountinfo: <c>ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS</c>;
    /// spaces, tabs, newlines and backslashes in paths are octal escapes (<c>\040</c>).
    /// </summary>
    public static MountTable Parse(string text)
    {
        var entries = ImmutableArray.CreateBuilder<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            var separator = fields.Length < 7 ? -1 : Array.IndexOf(fields, "-", 6);
            if (separator < 0 || separator + 3 > fields.Length
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            entries.Add(new MountEntry(
                id,
                fields[2],
                Unescape(fields[4]),
                fields[5],
                fields[separator + 1],
                Unescape(fields[separator + 2]),
                separator + 3 < fields.Length ? fields[separator + 3] : ""));
        }

        return new MountTable(entries.ToImmutable());
    }

    /// <summary>The mount visible at <paramref name="path"/> (the last one when mounts are stacked).</summary>
    public MountEntry? At(string path) => Entries.LastOrDefault(e => e.MountPoint == path);

    /// <summary>Where <paramref name="devicePath"/> (like <c>/dev/pmem0</c>) is mounted, if anywhere.</summary>
    public MountEntry? OfDevice(string devicePath) => Entries.FirstOrDefault(e => e.Source == devicePath);

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        // The kernel escapes only space, tab, newline and backslash, all ASCII.
        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s[at] is >= '0' and <= '3' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
