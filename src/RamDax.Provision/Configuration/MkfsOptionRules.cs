using System.Collections.Frozen;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

/// <summary>
/// The <c>mkfs_options</c> an image may add. mkfs runs as root against the namespace's device, so
/// an option that names another device or file (<c>-l logdev=/dev/sda</c>, <c>-J device=</c>,
/// <c>-r rtdev=</c>, a positional argument) would write over a disk the agent must never touch,
/// and some options make a filesystem DAX cannot use (a block size other than the 4 KiB page,
/// XFS reflink, ext4 inline data). Each filesystem has an allow-list of options and sub-options;
/// everything else is refused with the reason. Each list item is one argument; a value goes in
/// the next item or attached (<c>-b 4096</c> as <c>[-b, "4096"]</c> or <c>-b4096</c>).
/// </summary>
public static class MkfsOptionRules
{
    private static readonly FrozenDictionary<char, Option> Ext4 = new Dictionary<char, Option>
    {
        ['D'] = Option.Flag,
        ['j'] = Option.Flag,
        ['K'] = Option.Flag,
        ['q'] = Option.Flag,
        ['v'] = Option.Flag,
        ['b'] = new(v => v == "4096" ? null : "DAX needs the 4096-byte page size as block size"),
        ['C'] = new(Number),
        ['g'] = new(Number),
        ['G'] = new(Number),
        ['i'] = new(Number),
        ['I'] = new(Number),
        ['N'] = new(Number),
        ['m'] = new(Number),
        ['r'] = new(v => v == "1" ? null : "only revision 1 makes an ext4 filesystem"),
        ['e'] = new(v => v is "continue" or "remount-ro" or "panic" ? null : "must be continue, remount-ro or panic"),
        ['o'] = new(Word),
        ['T'] = new(Word),
        ['U'] = new(Word),
        ['M'] = new(v => v.StartsWith('/') ? null : "must be an absolute path"),
        ['E'] = new(v => SubOptions(v, ["stride", "stripe_width", "stripe-width", "resize", "lazy_itable_init", "lazy_journal_init",
            "packed_meta_blocks", "root_owner", "nodiscard", "discard", "num_backup_sb", "quotatype", "assume_storage_prezeroed",
            "encoding", "encoding_flags", "orphan_file_size", "hash_seed"], null)),
        ['J'] = new(v => SubOptions(v, ["size", "fast_commit_size"], null)),
        ['O'] = new(v => v.Split(',').FirstOrDefault(f => f.TrimStart('^') is "journal_dev" or "inline_data") is { } bad
            ? $"the feature {bad} {(bad.TrimStart('^') == "inline_data" ? "cannot be used with DAX" : "makes an external journal, not a filesystem")}"
            : Word(v.Replace(",", "", StringComparison.Ordinal).Replace("^", "", StringComparison.Ordinal))),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<char, Option> Xfs = new Dictionary<char, Option>
    {
        ['K'] = Option.Flag,
        ['q'] = Option.Flag,
        ['b'] = new(v => SubOptions(v, ["size"], (k, x) => x is "4096" or "4k" ? null : "DAX needs the 4096-byte page size as block size")),
        ['m'] = new(v => SubOptions(v, ["crc", "finobt", "uuid", "rmapbt", "reflink", "inobtcount", "bigtime"],
            (k, x) => k == "reflink" && x != "0" ? "XFS cannot use DAX with reflink; leave it at reflink=0" : null)),
        ['d'] = new(v => SubOptions(v, ["agcount", "agsize", "su", "sunit", "sw", "swidth", "noalign", "size", "extszinherit", "daxinherit", "projinherit", "cowextsize"], null)),
        ['i'] = new(v => SubOptions(v, ["size", "maxpct", "align", "attr", "projid32bit", "sparse", "nrext64"], null)),
        ['l'] = new(v => SubOptions(v, ["size", "version", "sunit", "su", "lazy-count", "internal", "agnum"],
            (k, x) => k == "internal" && x != "1" ? "the log must stay internal: an external log is another device" : null)),
        ['n'] = new(v => SubOptions(v, ["size", "version", "ftype", "parent"], null)),
        ['s'] = new(v => SubOptions(v, ["size"], (k, x) => x is "512" or "4096" or "4k" ? null : "the sector size is 512 or 4096")),
    }.ToFrozenDictionary();

    /// <summary>Every problem, by the index of the item it is about.</summary>
    public static IEnumerable<(int Index, string Message)> Check(FilesystemType type, IReadOnlyList<string> options)
    {
        var rules = type == FilesystemType.Xfs ? Xfs : Ext4;
        var tool = type == FilesystemType.Xfs ? "mkfs.xfs" : "mkfs.ext4";
        for (var i = 0; i < options.Count; i++)
        {
            var item = options[i];
            if (item.Length == 0)
            {
                yield return (i, "an empty item; write each option and each value as its own item, like [-b, \"4096\"], or remove it");
                continue;
            }

            if (item.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                yield return (i, "an option cannot hold spaces or control characters; write each argument as its own list item, like [-b, \"4096\"]");
                continue;
            }

            if (item.Length < 2 || item[0] != '-' || item[1] == '-')
            {
                yield return (i, $"'{item}' is not an option of the form -X: mkfs runs on the namespace's own device only, "
                    + "so positional arguments, '--' and long options are refused");
                if (item == "--")
                {
                    yield break;
                }

                continue;
            }

            // A refused option's value is not reported again as a positional argument.
            var skipValue = item.Length == 2 && i + 1 < options.Count && !options[i + 1].StartsWith('-');

            var letter = item[1];
            if (letter == 'L')
            {
                yield return (i, "set the label with filesystem.label, not -L");
                i += skipValue ? 1 : 0;
                continue;
            }

            if (!rules.TryGetValue(letter, out var option))
            {
                yield return (i, $"-{letter} is not one of the {tool} options allowed for a DAX filesystem on the namespace's device "
                    + $"({string.Join(" ", rules.Keys.Order().Select(k => "-" + k))}); options that name another device or file are never allowed");
                i += skipValue ? 1 : 0;
                continue;
            }

            if (option.Value is null)
            {
                if (item.Length > 2)
                {
                    yield return (i, $"'{item}': write one option per item");
                }

                continue;
            }

            string value;
            if (item.Length > 2)
            {
                value = item[2..];
            }
            else if (i + 1 < options.Count)
            {
                value = options[++i];
                if (value.Length == 0)
                {
                    yield return (i, $"-{letter} needs a value, and this item is empty");
                    continue;
                }

                if (value.Any(char.IsControl))
                {
                    yield return (i, "an option value cannot hold control characters");
                    continue;
                }
            }
            else
            {
                yield return (i, $"-{letter} needs a value in the next item");
                continue;
            }

            if (option.Value(value) is { } problem)
            {
                yield return (i, $"-{letter} {value}: {problem}");
            }
        }
    }

    private static string? Number(string value) => value.Length > 0 && value.All(char.IsAsciiDigit) ? null : "must be a whole number";

    private static string? Word(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') ? null : "must be a plain word";

    // "key=value,key" lists (mkfs.xfs -d/-l/-m..., mke2fs -E/-J): only known keys, plain values.
    private static string? SubOptions(string value, string[] allowed, Func<string, string, string?>? check)
    {
        foreach (var part in value.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var setting = equals < 0 ? "" : part[(equals + 1)..];
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                return $"'{key}' is not allowed here (allowed: {string.Join(", ", allowed)}); nothing may name another device or file";
            }

            if (setting.Length > 0 && Word(setting) is not null)
            {
                return $"'{setting}' must be a plain number or word";
            }

            if (check?.Invoke(key, setting) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private sealed record Option(Func<string, string?>? Value)
    {
        public static readonly Option Flag = new((Func<string, string?>?)null);
    }
}
