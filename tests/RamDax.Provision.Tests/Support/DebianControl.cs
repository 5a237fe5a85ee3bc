using System.Text.RegularExpressions;

namespace RamDax.Provision.Tests.Support;

/// <summary>The binary package's relationship fields of <c>packaging/deb/debian/control</c>, as package names.</summary>
public sealed partial record DebianControl(IReadOnlySet<string> Depends, IReadOnlySet<string> Recommends, IReadOnlySet<string> Suggests)
{
    public static DebianControl Read()
    {
        var text = File.ReadAllText(Path.Join(Repository.Top, "packaging", "deb", "debian", "control"));
        var binary = text[text.IndexOf("\nPackage:", StringComparison.Ordinal)..];
        return new DebianControl(Field(binary, "Depends"), Field(binary, "Recommends"), Field(binary, "Suggests"));
    }

    // A field runs from "Name:" over its continuation lines (leading space); '#' lines are comments.
    // Alternatives ("a | b") count for each name; versions and substitution variables are dropped.
    private static HashSet<string> Field(string paragraph, string name)
    {
        var lines = paragraph.Split('\n').Where(l => !l.StartsWith('#')).ToList();
        var start = lines.FindIndex(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        if (start < 0)
        {
            return [];
        }

        var value = lines[start][(name.Length + 1)..] + string.Concat(lines.Skip(start + 1).TakeWhile(l => l.StartsWith(' ')).Select(l => " " + l));
        return value.Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => VersionOrArch().Replace(v, "").Trim())
            .Where(v => v.Length > 0 && !v.StartsWith("${", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\s*[\(\[].*?[\)\]]")]
    private static partial Regex VersionOrArch();
}
