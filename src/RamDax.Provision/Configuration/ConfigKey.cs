namespace RamDax.Provision.Configuration;

/// <summary>
/// Configuration keys are paths such as <c>carveout:min_os_memory</c> or <c>namespaces:0:size</c>
/// (the separator of Microsoft.Extensions.Configuration), compared without regard to case.
/// People see them as <c>carveout.min_os_memory</c> and <c>namespaces[0].size</c>.
/// </summary>
public static class ConfigKey
{
    public const char Separator = ':';

    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    public static string Join(string parent, string child) => parent.Length == 0 ? child : parent + Separator + child;

    /// <summary>The dotted spelling a person writes, with list indexes in brackets.</summary>
    public static string Display(string key)
    {
        var parts = key.Split(Separator);
        var text = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            if (part.Length > 0 && part.All(char.IsAsciiDigit) && text.Length > 0)
            {
                text.Append('[').Append(part).Append(']');
            }
            else
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                text.Append(part);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Reads a key as a person writes it on the command line (<c>carveout.size</c>,
    /// <c>namespaces.0.size</c>, <c>namespaces[0].size</c>, or with colons) into the internal form.
    /// </summary>
    public static string FromDisplay(string text) =>
        text.Replace("[", ".", StringComparison.Ordinal)
            .Replace("]", "", StringComparison.Ordinal)
            .Replace('.', Separator)
            .Trim(Separator);
}
