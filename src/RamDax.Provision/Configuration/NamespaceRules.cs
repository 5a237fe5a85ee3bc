using System.Text.RegularExpressions;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

/// <summary>
/// The rules one namespace's values must keep, wherever they come from: the configuration
/// (<see cref="SettingsMapper"/>) and the recorded plan an offline run acts on. Each rule gives the
/// problem in words, or null when the value is fine.
/// </summary>
public static partial class NamespaceRules
{
    /// <summary>The namespace alignments DAX maps: the 4 KiB, 2 MiB and 1 GiB page sizes.</summary>
    public static readonly IReadOnlyList<ulong> Alignments = [4 * ByteSize.KiB, 2 * ByteSize.MiB, ByteSize.GiB];

    public static string? NameProblem(string name) => NamespaceName().IsMatch(name)
        ? null
        : $"'{name}' must be 1 to 63 letters, digits, '-', '_' or '.', starting with a letter or digit";

    public static string? AlignmentProblem(ulong alignment) => Alignments.Contains(alignment)
        ? null
        : $"must be 4K, 2M or 1G (the page sizes DAX maps), not {ByteSize.FormatExact(alignment)}";

    /// <summary>The longest label a filesystem takes, in bytes.</summary>
    public static int LabelLimit(FilesystemType type) => type == FilesystemType.Xfs ? 12 : 16;

    public static string? LabelProblem(FilesystemType type, string label)
    {
        if (label.Trim().Length == 0 || label.Any(char.IsControl))
        {
            return "a label must be a non-empty name without control characters (newline, tab, NUL); leave it out to use the namespace's name";
        }

        var limit = LabelLimit(type);
        return System.Text.Encoding.UTF8.GetByteCount(label) > limit
            ? $"the {type.Word()} label '{label}' is longer than {limit} bytes; set filesystem.label to a shorter one"
            : null;
    }

    // The agent adds dax=always itself; one item is one option, because items are joined with commas.
    public static string? MountOptionProblem(string option)
    {
        if (option.Length == 0 || option.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "a mount option must be one non-empty word without spaces or control characters";
        }

        if (option.Contains(','))
        {
            return $"'{option}' holds a comma; write each mount option as its own list item";
        }

        var lower = option.ToLowerInvariant();
        if (lower is "nodax" or "remount" || lower.StartsWith("dax=", StringComparison.Ordinal) && lower != "dax=always")
        {
            return $"'{option}' contradicts the point of the namespace or its mount; the agent always mounts with dax=always";
        }

        return null;
    }

    public static string? AccountProblem(string account) => AccountName().IsMatch(account) ? null : $"'{account}' is not a user or group name or number";

    public static string? ModeProblem(string mode) => ModePattern().IsMatch(mode) ? null : $"'{mode}' is not an octal mode; write it quoted, like \"0660\"";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"^(?:[a-z_][a-z0-9_-]{0,31}\$?|[0-9]+)$")]
    private static partial Regex AccountName();

    [GeneratedRegex(@"^0?[0-7]{3}$|^[0-7]{4}$")]
    private static partial Regex ModePattern();
}
