using System.Text.Json.Nodes;
using NJsonSchema;
using RamDax.Provision.Configuration;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Configuration;

/// <summary>
/// The JSON Schema the package installs for editors (yaml-language-server) is generated from the
/// configuration types, describes exactly the keys the agent knows, accepts every shipped
/// configuration and refuses wrong ones.
/// </summary>
public sealed class ConfigJsonSchemaTests
{
    private static readonly string SchemaPath = Path.Join(Repository.Top, "templates", "schema", "config.schema.json");

    /// <summary>The first line of every shipped configuration file that is not a cloud-config.</summary>
    public const string EditorHeader = "# yaml-language-server: $schema=/usr/share/ramdax-provision/config.schema.json";

    public static TheoryData<string> ShippedConfigurations()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Join(Repository.Top, "templates", "examples"), "*.yaml").Order(StringComparer.Ordinal)
                     .Where(f => !File.ReadAllText(f).StartsWith("#cloud-config", StringComparison.Ordinal)))
        {
            data.Add(Path.GetRelativePath(Repository.Top, file));
        }

        data.Add(Path.Join("templates", "config", "config.yaml"));
        return data;
    }

    [Fact]
    public void The_shipped_schema_is_the_one_generated_from_the_configuration_types()
    {
        var generated = ConfigJsonSchemaGenerator.Generate();
        if (Environment.GetEnvironmentVariable("RAMDAX_WRITE_SCHEMA") == "1")
        {
            File.WriteAllText(SchemaPath, generated);
        }

        Assert.True(File.Exists(SchemaPath) && File.ReadAllText(SchemaPath) == generated,
            $"{SchemaPath} differs from what the configuration types give; regenerate it with RAMDAX_WRITE_SCHEMA=1 dotnet test --filter {nameof(ConfigJsonSchemaTests)}");
    }

    [Fact]
    public void Every_key_the_schema_describes_is_a_key_the_agent_knows_and_every_section_is_closed()
    {
        var keys = new List<string>();
        Walk(JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject(), "", keys);

        Assert.Contains("namespaces:0:mount:path", keys);
        Assert.Contains("profiles:p:carveout:size", keys);
        Assert.Contains("metadata:allow_imdsv1", keys);
        Assert.True(keys.Count > 30, $"only {keys.Count} keys");
        Assert.All(keys, k => Assert.True(ConfigSchema.IsKnown(k), $"the schema describes '{k}', which the agent does not know"));
    }

    [Theory]
    [MemberData(nameof(ShippedConfigurations))]
    public async Task A_shipped_configuration_passes_the_schema_and_names_it_for_editors(string file)
    {
        var text = File.ReadAllText(Path.Join(Repository.Top, file));

        Assert.StartsWith(EditorHeader + "\n", text, StringComparison.Ordinal);
        // The shipped config.yaml is all comments: its settings are checked uncommented.
        var settings = Uncommented(text);
        Assert.Contains("carveout:", settings, StringComparison.Ordinal);
        Assert.Empty(SchemaValidation.Errors(await Schema(), settings));
    }

    [Theory]
    [InlineData("carveout: {size: 8G}\nnamspaces: []\n", "NoAdditionalPropertiesAllowed: #/namspaces")]
    [InlineData("namespaces:\n  - {name: a, mode: fsdaxx}\n", "NotInEnumeration: #/namespaces[0].mode")]
    [InlineData("namespaces:\n  - {name: a, wipe: maybe}\n", "BooleanExpected: #/namespaces[0].wipe")]
    [InlineData("carveout: {size: 16GB}\n", "NotAnyOf: #/carveout.size")]
    [InlineData("carveout: {max_ranges: 0}\n", "NumberTooSmall: #/carveout.max_ranges")]
    [InlineData("metadata: {budget: 30 seconds}\n", "PatternMismatch: #/metadata.budget")]
    [InlineData("profiles:\n  m7i.*:\n    metadata: {source: none}\n", "AdditionalPropertiesNotValid: #/profiles['m7i.*']")]
    [InlineData("metadata_may_set: [wipe, everything]\n", "NotInEnumeration: #/metadata_may_set[1]")]
    public async Task A_wrong_configuration_fails_the_schema_where_it_is_wrong(string yaml, string error)
    {
        Assert.Contains(error, SchemaValidation.Errors(await Schema(), yaml));
    }

    private static Task<JsonSchema> Schema() => JsonSchema.FromFileAsync(SchemaPath);

    // Setting lines start with '#' and no space (nested ones with '#' and their indentation);
    // explanations with '# '.
    private static string Uncommented(string text) => string.Join('\n', text.Split('\n')
        .Select(l => l.Length > 1 && l[0] == '#' && (l[1] != ' ' || l.StartsWith("#  ", StringComparison.Ordinal)) && !l.StartsWith("# yaml-language-server", StringComparison.Ordinal) ? l[1..] : l));

    // "namespaces:0:mount:path" for every leaf; lists as index 0 and profile names as "p".
    private static void Walk(JsonObject schema, string prefix, List<string> keys)
    {
        Assert.Equal(false, schema["additionalProperties"]?.GetValue<bool>());
        foreach (var (name, value) in schema["properties"]!.AsObject())
        {
            var key = prefix + name;
            var node = value!.AsObject();
            if (node["properties"] is not null)
            {
                Walk(node, key + ":", keys);
            }
            else if (node["items"] is JsonObject { } items && items["properties"] is not null)
            {
                Walk(items, key + ":0:", keys);
            }
            else if (node["additionalProperties"] is JsonObject { } profile)
            {
                Walk(profile, key + ":p:", keys);
            }
            else
            {
                keys.Add(node["type"]?.GetValue<string>() == "array" ? key + ":0" : key);
            }
        }
    }
}
