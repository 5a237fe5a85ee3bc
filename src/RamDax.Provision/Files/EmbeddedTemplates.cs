namespace RamDax.Provision.Files;

/// <summary>The templates of every file the agent generates, embedded from <c>templates/</c> at build time.</summary>
public static class EmbeddedTemplates
{
    public const string GrubDropIn = "templates/grub/ramdax-provision.cfg";

    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedTemplates).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"template {name} is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Fills <c>{{name}}</c> placeholders.</summary>
    public static string Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var text = Read(name);
        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
