using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using RamDax.Provision.Configuration.Document;
using YamlDotNet.Core;
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
        return ramdax is null ? ConfigLayer.Empty(layerName) : FromNode(ramdax, layerName, errors, checkShapeOf: null);
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
        Flatten(root, "", layerName, values, lists, errors);
        return new ConfigLayer(layerName, values.ToImmutable(), lists.ToImmutable());
    }

    private static YamlNode? Parse(string yaml, string layerName, ICollection<ConfigError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(At(layerName, e.Start), null, "not valid YAML: " + Plain(e)));
            return null;
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
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
    }

    private static void Flatten(
        YamlNode node,
        string key,
        string layerName,
        ImmutableDictionary<string, ConfigValue>.Builder values,
        ImmutableHashSet<string>.Builder lists,
        ICollection<ConfigError> errors)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (childKey, child) in mapping.Children)
                {
                    if (childKey is not YamlScalarNode { Value: { Length: > 0 } name })
                    {
                        errors.Add(new ConfigError(At(layerName, childKey.Start), key, "keys must be plain words"));
                        continue;
                    }

                    Flatten(child, ConfigKey.Join(key, name), layerName, values, lists, errors);
                }

                break;
            case YamlSequenceNode sequence:
                lists.Add(key);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], ConfigKey.Join(key, i.ToString(CultureInfo.InvariantCulture)), layerName, values, lists, errors);
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
    private static string Plain(YamlException e)
    {
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        message = PositionPrefix().Replace(message, "");
        message = TypeName().Replace(message, m => m.Groups[1].Value.Replace("Document", "", StringComparison.Ordinal).ToLowerInvariant() + " settings");
        return message;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    [GeneratedRegex(@"'?RamDax\.Provision\.Configuration\.Document\.(\w+)'?")]
    private static partial Regex TypeName();
}
