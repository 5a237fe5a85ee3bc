using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Tests.Configuration;

/// <summary>One YAML document read, schema-checked and mapped as a file layer named test.yaml.</summary>
internal static class ConfigurationTestMapping
{
    public static ProvisionSettings Map(string yaml)
    {
        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.Read(yaml, "test.yaml", errors);
        ConfigSchema.CheckKeys(layer, errors);
        return SettingsMapper.Map(LayeredConfiguration.Merge([layer]), errors);
    }

    public static IReadOnlyList<ConfigError> Errors(string yaml) =>
        Assert.Throws<ConfigurationException>(() => Map(yaml)).Errors;

    /// <summary>A document with one fsdax namespace whose <c>filesystem:</c> or <c>mount:</c> is <paramref name="inner"/>.</summary>
    public static string Namespace(string inner) => $"carveout: {{size: 4G}}\nnamespaces:\n  - name: a\n    size: 1G\n    {inner}\n";
}
