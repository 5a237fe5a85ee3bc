using System.Collections.Immutable;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Reads the agent's configuration out of a <c>#cloud-config</c> document, in the two forms it may
/// take. The documented one is a <c>write_files:</c> entry that drops a file into
/// <c>/etc/ramdax-provision/config.d/</c>: every cloud-init from 22.4 on accepts it in its schema and
/// writes the file in its init stage, before the instance unit runs, so with cloud-init the agent
/// simply reads config.d. Without cloud-init (a metadata service's user-data, a NoCloud seed,
/// <c>--config</c>, <c>validate</c>) this reader finds the same entries, so one user-data works the
/// same everywhere. The old top-level <c>ramdax:</c> key is still read, after the drop-ins, with a
/// warning: cloud-init 23.4 and later reject unknown top-level keys and report "degraded done".
/// </summary>
public static class CloudConfigReader
{
    public const string Header = "#cloud-config";

    /// <summary>The directory whose <c>*.yaml</c> files the agent reads as image configuration.</summary>
    public const string DropInDirectory = "/etc/ramdax-provision/config.d/";

    /// <summary>The example that shows the replacement of the <c>ramdax:</c> key.</summary>
    public const string Example = "/usr/share/doc/ramdax-provision/examples/cloud-config.yaml";

    private const long MaxDecodedBytes = UntrustedYaml.MaxCharacters;

    /// <summary>Whether <paramref name="text"/> is a cloud-config document.</summary>
    public static bool IsCloudConfig(string text) => text.StartsWith(Header, StringComparison.Ordinal);

    /// <summary>
    /// The configuration <paramref name="yaml"/> carries: its config.d drop-ins in name order, then its
    /// <c>ramdax:</c> key, as one layer named <paramref name="layerName"/> (drop-ins keep their own names
    /// in positions). <paramref name="warnings"/> gets the deprecation of the <c>ramdax:</c> key.
    /// </summary>
    public static ConfigLayer Read(string yaml, string layerName, ICollection<ConfigError> errors, ICollection<string>? warnings = null, bool dropIns = true)
    {
        if (UntrustedYaml.Problem(yaml) is { } problem)
        {
            errors.Add(new ConfigError(new SourcePosition(layerName), null, problem));
            return ConfigLayer.Empty(layerName);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(new SourcePosition(layerName, (int)e.Start.Line, (int)e.Start.Column), null, "not valid YAML: " + (e.InnerException ?? e).Message));
            return ConfigLayer.Empty(layerName);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.Source == "YamlDotNet")
        {
            // YamlDotNet throws these, not a YamlException, on some broken documents (found by the fuzz tests).
            errors.Add(YamlLayerReader.Unreadable(layerName));
            return ConfigLayer.Empty(layerName);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return ConfigLayer.Empty(layerName);
        }

        var layers = new List<ConfigLayer>();
        if (dropIns)
        {
            layers.AddRange(ReadDropIns(root, yaml, layerName, errors));
        }

        var legacy = YamlLayerReader.ReadCloudConfig(yaml, layerName, errors);
        if (!legacy.Values.IsEmpty)
        {
            warnings?.Add(LegacyKeyWarning(layerName));
            layers.Add(legacy);
        }

        return Combine(layerName, layers);
    }

    /// <summary>What the agent says where it finds the old top-level key.</summary>
    public static string LegacyKeyWarning(string where) =>
        $"{where}: the top-level ramdax: key still works, but cloud-init 23.4 and later reject it in their schema and report "
        + $"'degraded done' (cloud-init status exits 2); give the same settings as a write_files: entry for {DropInDirectory}90-user-data.yaml instead (see {Example})";

    private static IEnumerable<ConfigLayer> ReadDropIns(YamlMappingNode root, string yaml, string layerName, ICollection<ConfigError> errors)
    {
        if (Child(root, "write_files") is not YamlSequenceNode files)
        {
            return [];
        }

        var found = new List<(string Name, ConfigLayer Layer)>();
        for (var i = 0; i < files.Children.Count; i++)
        {
            if (files.Children[i] is not YamlMappingNode entry || Child(entry, "path") is not YamlScalarNode { Value: { } path }
                || !path.StartsWith(DropInDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            var name = path[DropInDirectory.Length..];
            var where = $"{layerName} write_files[{i}] {path}";
            if (!(name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal)) || name.Contains('/', StringComparison.Ordinal))
            {
                errors.Add(new ConfigError(At(layerName, entry.Start), null,
                    $"write_files[{i}]: {path} is not read by ramdax-provision; only {DropInDirectory}NAME.yaml files are"));
                continue;
            }

            if (Scalar(entry, "defer") is "true" or "True" or "TRUE")
            {
                errors.Add(new ConfigError(At(layerName, entry.Start), null,
                    $"write_files[{i}]: defer: true writes {path} in cloud-final, after ramdax-provision-instance.service has read {DropInDirectory}; remove defer"));
                continue;
            }

            if (Child(entry, "source") is not null && Child(entry, "content") is null)
            {
                errors.Add(new ConfigError(At(layerName, entry.Start), null,
                    $"write_files[{i}]: {path} comes from source.uri, which ramdax-provision does not fetch; give it as content"));
                continue;
            }

            var content = Child(entry, "content") as YamlScalarNode;
            var text = Decode(content?.Value ?? "", Scalar(entry, "encoding"), out var decodeProblem);
            if (text is null)
            {
                errors.Add(new ConfigError(At(layerName, (content ?? (YamlNode)entry).Start), null, $"write_files[{i}]: {decodeProblem}"));
                continue;
            }

            if (UntrustedYaml.Problem(text) is { } problem)
            {
                errors.Add(new ConfigError(At(layerName, (content ?? (YamlNode)entry).Start), null, $"write_files[{i}] content: {problem}"));
                continue;
            }

            // A literal block's lines are the document's lines: point errors at the document, not the content.
            var literal = content is { Style: ScalarStyle.Literal } && string.IsNullOrEmpty(Scalar(entry, "encoding"));
            var contentErrors = new List<ConfigError>();
            var layer = YamlLayerReader.Read(text, where, contentErrors);
            var shift = literal ? Shift(yaml, content!) : null;
            foreach (var error in contentErrors)
            {
                errors.Add(shift is null || error.Position is null ? error : error with { Position = shift(error.Position) });
            }

            found.Add((name, shift is null ? layer : layer with { Values = layer.Values.ToImmutableDictionary(kv => kv.Key, kv => kv.Value with { Position = shift(kv.Value.Position) }, ConfigKey.Comparer) }));
        }

        // config.d is read in name order; so are the files cloud-init will write.
        return found.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.Layer);
    }

    private static Func<SourcePosition, SourcePosition>? Shift(string yaml, YamlScalarNode content)
    {
        // The block's first content line follows the '|' line; its indentation is that of the first non-empty line.
        var lines = yaml.Split('\n');
        var first = (int)content.Start.Line; // 1-based line of '|', so index of the next line
        var indent = lines.Skip(first).FirstOrDefault(l => l.Trim().Length > 0) is { } line ? line.Length - line.TrimStart(' ').Length : 0;
        return position => position.Line > 0 ? position with { Line = position.Line + first, Column = position.Column + indent } : position;
    }

    private static string? Decode(string content, string? encoding, out string problem)
    {
        problem = "";
        try
        {
            switch (encoding?.Trim().ToLowerInvariant())
            {
                case null or "" or "text/plain":
                    return content;
                case "b64" or "base64":
                    return Utf8(Convert.FromBase64String(content), out problem);
                case "gz+base64" or "gzip+base64" or "gz+b64" or "gzip+b64":
                    // cloud-init unpacks these itself; the agent reads write_files only where no
                    // cloud-init runs, and a gzip reader would link a second zlib into the executable.
                    problem = $"encoding: {encoding} is unpacked by cloud-init, not by ramdax-provision reading user-data itself; use text/plain (the default) or b64";
                    return null;

                default:
                    problem = $"encoding: {encoding} is not read by ramdax-provision; use text/plain (the default) or b64";
                    return null;
            }
        }
        catch (FormatException)
        {
            problem = $"the content is not valid {encoding}";
            return null;
        }
    }

    private static string? Utf8(byte[] bytes, out string problem)
    {
        problem = "";
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            problem = "the content is not UTF-8 text";
            return null;
        }
    }

    private static ConfigLayer Combine(string layerName, List<ConfigLayer> layers) => layers.Count switch
    {
        0 => ConfigLayer.Empty(layerName),
        1 => layers[0] with { Name = layerName },
        _ => new ConfigLayer(layerName, LayeredConfiguration.Merge(layers).Effective, layers.SelectMany(l => l.ListRoots).ToImmutableHashSet(ConfigKey.Comparer)),
    };

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: { } k } && k == key).Value;

    private static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static SourcePosition At(string layer, Mark mark) => new(layer, (int)mark.Line, (int)mark.Column);
}
