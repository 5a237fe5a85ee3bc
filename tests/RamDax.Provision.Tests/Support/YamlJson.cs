using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RamDax.Provision.Tests.Support;

/// <summary>YAML documents as JSON, for checking them against a JSON Schema.</summary>
internal static class YamlJson
{
    /// <summary>The first document of <paramref name="yaml"/> as JSON; an empty document is an empty object.</summary>
    public static string FirstDocument(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? "{}" : ToJson(stream.Documents[0].RootNode)?.ToJsonString() ?? "null";
    }

    // YAML 1.1 scalars as PyYAML (cloud-init) and editors read them: plain true/false, integers and null are typed, the rest are strings.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "True" or "false" or "False" } b => JsonValue.Create(b.Value!.Equals("true", StringComparison.OrdinalIgnoreCase)),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
