using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using RamDax.Provision.Configuration.Document;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Reads a YAML configuration document into a <see cref="ConfigLayer"/> that remembers the line and
/// column of every value, so that any later error can point at the place a person must edit.
/// The document's shape (a mapping where a mapping belongs, a list where a list belongs) is checked
/// by deserializing it with the YamlDotNet static context; unknown keys are found later, all at
/// once, by <see cref="ConfigSchema"/>.
/// </summary>
public static partial class YamlLayerReader
{
    /// <summary>The largest configuration document read (a file, a tag, user-data).</summary>
    public const int MaxDocumentBytes = 1 << 20;

    /// <summary>The deepest nesting of mappings and lists; the real schema needs six.</summary>
    public const int MaxDepth = 32;

    /// <summary>The most values a document's aliases may add once expanded (what it writes out itself is bounded by the file size).</summary>
    public const long MaxExpandedNodes = 100_000;

    private static readonly IDeserializer ShapeChecker = new StaticDeserializerBuilder(new ConfigYamlContext())
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Reads a configuration file's text. <paramref name="layerName"/> is usually its path.</summary>
    public static ConfigLayer Read(string yaml, string layerName, ICollection<ConfigError> errors)
    {
        var root = Parse(yaml, layerName, errors);
        if (root is null)
        {
            return ConfigLayer.Empty(layerName);
        }

        return FromNode(root, layerName, errors, checkShapeOf: yaml);
    }

    /// <summary>
    /// Reads the <c>ramdax:</c> key of a <c>#cloud-config</c> document. A document without the key
    /// gives an empty layer.
    /// </summary>
    public static ConfigLayer ReadCloudConfig(string yaml, string layerName, ICollection<ConfigError> errors)
    {
        var root = Parse(yaml, layerName, errors);
        if (root is not YamlMappingNode mapping)
        {
            return ConfigLayer.Empty(layerName);
        }

        var ramdax = mapping.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "ramdax" }).Value;
        if (ramdax is null)
        {
            return ConfigLayer.Empty(layerName);
        }

        return ramdax is YamlMappingNode && !CheckRamdaxShape(yaml, layerName, errors)
            ? ConfigLayer.Empty(layerName)
            : FromNode(ramdax, layerName, errors, checkShapeOf: null);
    }

    /// <summary>Flattens an already parsed node (for example one found inside metadata).</summary>
    public static ConfigLayer FromNode(YamlNode root, string layerName, ICollection<ConfigError> errors, string? checkShapeOf)
    {
        if (root is YamlScalarNode { Value: null or "" })
        {
            return ConfigLayer.Empty(layerName);
        }

        if (root is not YamlMappingNode)
        {
            errors.Add(new ConfigError(At(layerName, root.Start), null, "the configuration must be a mapping of keys (carveout:, namespaces:, ...)"));
            return ConfigLayer.Empty(layerName);
        }

        if (checkShapeOf is not null && !CheckShape(checkShapeOf, layerName, errors))
        {
            return ConfigLayer.Empty(layerName);
        }

        var values = ImmutableDictionary.CreateBuilder<string, ConfigValue>(ConfigKey.Comparer);
        var lists = ImmutableHashSet.CreateBuilder<string>(ConfigKey.Comparer);
        var empty = new List<(string Key, Mark Start)>();
        Flatten(root, "", layerName, values, lists, empty, errors);

        // An empty mapping or list holds no value, so the key check never sees it: check its name here.
        foreach (var (key, start) in empty)
        {
            if (!ConfigSchema.IsKnown(key) && !ConfigSchema.IsKnown(key + ConfigKey.Separator + "0"))
            {
                errors.Add(new ConfigError(At(layerName, start), key, "unknown key; check its spelling against the configuration reference"));
            }
        }

        return new ConfigLayer(layerName, values.ToImmutable(), lists.ToImmutable());
    }

    private static YamlNode? Parse(string yaml, string layerName, ICollection<ConfigError> errors)
    {
        if (yaml.Length > MaxDocumentBytes)
        {
            errors.Add(new ConfigError(new SourcePosition(layerName), null, $"the document is larger than {MaxDocumentBytes >> 20} MiB; a configuration is a few kilobytes"));
            return null;
        }

        if (ControlCharacter(yaml, layerName) is { } control)
        {
            errors.Add(control);
            return null;
        }

        var stream = new YamlStream();
        try
        {
            if (!Prescan(yaml, layerName, errors))
            {
                return null;
            }

            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(At(layerName, e.Start), null, "not valid YAML: " + Plain(e)));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.Source == "YamlDotNet")
        {
            // YamlDotNet throws these, not a YamlException, on some broken documents (found by the fuzz tests).
            errors.Add(Unreadable(layerName));
            return null;
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    // Walks the events once without building anything: refuses nesting deeper than MaxDepth (the
    // node builder and the deserializer recurse, and a deep document would overflow the stack) and
    // documents whose aliases expand past MaxExpandedNodes (a "billion laughs" takes no room as
    // text and forever to flatten).
    private static bool Prescan(string yaml, string layerName, ICollection<ConfigError> errors)
    {
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<(string? Anchor, long Size)>();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        long written = 0;
        while (parser.MoveNext())
        {
            long add;
            if (parser.Current is NodeEvent)
            {
                written++;
            }

            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    var node = (NodeEvent)parser.Current;
                    if (open.Count >= MaxDepth)
                    {
                        errors.Add(new ConfigError(At(layerName, node.Start), null, $"nested deeper than {MaxDepth} levels; a configuration needs a handful"));
                        return false;
                    }

                    open.Push((node.Anchor.IsEmpty ? null : node.Anchor.Value, 1));
                    continue;
                case MappingEnd or SequenceEnd:
                    var (anchor, size) = open.Pop();
                    if (anchor is not null)
                    {
                        sizes[anchor] = size;
                    }

                    add = size;
                    break;
                case Scalar scalar:
                    add = 1;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        sizes[scalar.Anchor.Value] = 1;
                    }

                    break;
                case AnchorAlias alias:
                    add = sizes.GetValueOrDefault(alias.Value.Value, 1);
                    break;
                default:
                    continue;
            }

            if (open.Count > 0)
            {
                var (anchor, size) = open.Pop();
                open.Push((anchor, size + add));
                total = Math.Max(total, size + add);
            }
            else
            {
                total += add;
            }

            // Only what aliases add counts: 16,288 namespaces written out are some 50,000 values.
            if (total - Math.Min(total, written) > MaxExpandedNodes)
            {
                errors.Add(new ConfigError(At(layerName, parser.Current!.Start), null,
                    $"the document expands to more than {MaxExpandedNodes} values through its aliases (*name); write the values out"));
                return false;
            }
        }

        return true;
    }

    // YAML allows tab, line feed and carriage return; any other control character is a mistake or an attack.
    private static ConfigError? ControlCharacter(string yaml, string layerName)
    {
        var line = 1;
        var column = 1;
        foreach (var c in yaml)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                continue;
            }

            if (char.IsControl(c) && c is not '\t' and not '\r' and not '\u0085')
            {
                return new ConfigError(new SourcePosition(layerName, line, column), null,
                    $"a control character (U+{(int)c:X4}) is not allowed in a configuration; save the file as plain UTF-8 text");
            }

            column++;
        }

        return null;
    }

    // The same shape check as for a file, for the ramdax: value of a cloud-config document, with
    // the positions of the whole document.
    private static bool CheckRamdaxShape(string yaml, string layerName, ICollection<ConfigError> errors)
    {
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            parser.Consume<MappingStart>();
            while (!parser.Accept<MappingEnd>(out _))
            {
                if (parser.TryConsume<Scalar>(out var key) && key.Value == "ramdax")
                {
                    ShapeChecker.Deserialize<ConfigDocument>(parser);
                    return true;
                }

                if (key is null)
                {
                    parser.SkipThisAndNestedEvents();
                }

                parser.SkipThisAndNestedEvents();
            }

            return true;
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(At(layerName, e.Start), null, Plain(e)));
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.Source == "YamlDotNet")
        {
            // YamlDotNet throws these, not a YamlException, on some broken documents (found by the fuzz tests).
            errors.Add(Unreadable(layerName));
            return false;
        }
    }

    private static bool CheckShape(string yaml, string layerName, ICollection<ConfigError> errors)
    {
        try
        {
            ShapeChecker.Deserialize<ConfigDocument>(yaml);
            return true;
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(At(layerName, e.Start), null, Plain(e)));
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.Source == "YamlDotNet")
        {
            // YamlDotNet throws these, not a YamlException, on some broken documents (found by the fuzz tests).
            errors.Add(Unreadable(layerName));
            return false;
        }
    }

    private static void Flatten(
        YamlNode node,
        string key,
        string layerName,
        ImmutableDictionary<string, ConfigValue>.Builder values,
        ImmutableHashSet<string>.Builder lists,
        List<(string Key, Mark Start)> empty,
        ICollection<ConfigError> errors)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                if (mapping.Children.Count == 0 && key.Length > 0)
                {
                    empty.Add((key, node.Start));
                }

                // Keys are compared without regard to case, so "mode" and "Mode" would silently merge.
                var seen = new Dictionary<string, Mark>(ConfigKey.Comparer);
                foreach (var (childKey, child) in mapping.Children)
                {
                    if (childKey is not YamlScalarNode { Value: { Length: > 0 } name })
                    {
                        errors.Add(new ConfigError(At(layerName, childKey.Start), key, "keys must be plain words"));
                        continue;
                    }

                    if (seen.TryGetValue(name, out var other))
                    {
                        errors.Add(new ConfigError(At(layerName, childKey.Start), ConfigKey.Join(key, name),
                            $"the same key as on line {other.Line} (keys do not depend on case); keep one of them"));
                        continue;
                    }

                    seen[name] = childKey.Start;
                    Flatten(child, ConfigKey.Join(key, name), layerName, values, lists, empty, errors);
                }

                break;
            case YamlSequenceNode sequence:
                lists.Add(key);
                if (sequence.Children.Count == 0)
                {
                    empty.Add((key, node.Start));
                }

                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], ConfigKey.Join(key, i.ToString(CultureInfo.InvariantCulture)), layerName, values, lists, empty, errors);
                }

                break;
            case YamlScalarNode scalar:
                var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null";
                values[key] = new ConfigValue(isNull ? null : scalar.Value, At(layerName, scalar.Start));
                break;
            default:
                errors.Add(new ConfigError(At(layerName, node.Start), key, "aliases and anchors are not supported here"));
                break;
        }
    }

    private static SourcePosition At(string layer, Mark mark) => new(layer, (int)mark.Line, (int)mark.Column);

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 40) - (...): "; the position is
    // already reported our way, and type names mean nothing to the reader.
    // A deserialization that failed on something other than YAML (a plain value where settings
    // belong, as in "filesystem: ext4" for "filesystem: {type: ext4}") comes wrapped as "Exception
    // during deserialization", which has no words for the reader.
    private static string Plain(YamlException e)
    {
        var message = e.InnerException switch
        {
            YamlException inner => inner.Message,
            null => e.Message,
            _ => "a single value stands where a group of settings belongs (key: value lines below it, or {key: value}), or the other way round; see the configuration reference for this key's shape",
        };
        message = PositionPrefix().Replace(message, "");
        return TypeName().Replace(message, m => m.Groups[1].Value.Replace("Document", "", StringComparison.Ordinal).ToLowerInvariant() + " settings");
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    [GeneratedRegex(@"'?RamDax\.Provision\.Configuration\.Document\.(\w+)'?")]
    private static partial Regex TypeName();

    // YamlDotNet throws InvalidOperationException or ArgumentException, not a YamlException, on
    // some broken documents; they carry no position, so the error points at the document.
    internal static ConfigError Unreadable(string layerName) =>
        new(new SourcePosition(layerName, 1, 1), null, "not valid YAML: the parser could not read the document; check its quoting, brackets and indentation");
}
