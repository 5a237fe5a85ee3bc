using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Bounds a YAML text that comes from outside the image (a tag, an attribute, user-data) before it
/// is built into nodes. It reads the text as a stream of parser events, which needs no recursion
/// and expands no alias, so a 50,000-deep flow sequence or a billion-laughs document is refused in
/// time linear in its length instead of overflowing the stack or running past the metadata budget.
/// Syntax errors are left to the configuration reader, which reports them with their position.
/// </summary>
public static class UntrustedYaml
{
    /// <summary>The longest text accepted: GCE's attribute limit; user-data is 64 KiB on AWS and Azure, a tag 256 characters.</summary>
    public const int MaxCharacters = 256 * 1024;

    /// <summary>A configuration is 5 levels deep (namespaces[0].mount.options[0]); a cloud-config a few more.</summary>
    public const int MaxDepth = 32;

    /// <summary>Aliases are rare in a configuration; each one can double what a reader builds.</summary>
    public const int MaxAliases = 16;

    /// <summary>What is wrong with <paramref name="text"/>'s size or structure, or null when it may be read.</summary>
    public static string? Problem(string text)
    {
        if (text.Length > MaxCharacters)
        {
            return string.Create(CultureInfo.InvariantCulture, $"refused: {text.Length} characters, more than the {MaxCharacters} accepted from metadata");
        }

        var depth = 0;
        var aliases = 0;
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        return $"refused: nested deeper than {MaxDepth} levels (line {parser.Current.Start.Line})";
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                    case AnchorAlias when ++aliases > MaxAliases:
                        return $"refused: more than {MaxAliases} aliases (line {parser.Current.Start.Line}); write the values out";
                }
            }
        }
        catch (Exception e) when (e is YamlException || (e is InvalidOperationException or ArgumentException && e.Source == "YamlDotNet"))
        {
            return null; // not valid YAML: the reader that parses it next says where
        }

        return null;
    }
}
