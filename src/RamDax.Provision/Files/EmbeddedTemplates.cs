using System.Text.RegularExpressions;

namespace RamDax.Provision.Files;

/// <summary>
/// The templates of every file the agent generates, kept readable in <c>templates/</c> at the top
/// of the repository and embedded in the binary at build time. Placeholders are <c>@NAME@</c>.
/// </summary>
public static partial class EmbeddedTemplates
{
    public const string GrubDropIn = "templates/grub/ramdax-provision.cfg";
    public const string UdevRules = "templates/udev/70-ramdax-provision.rules";

    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedTemplates).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the template {name} is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Fills <c>@KEY@</c> placeholders in one pass; a placeholder without a value is a bug, not output.</summary>
    public static string Render(string name, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(Read(name), m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"the template {name} has no value for {m.Value}"));

    [GeneratedRegex("@([A-Z_]+)@")]
    private static partial Regex Placeholder();
}
