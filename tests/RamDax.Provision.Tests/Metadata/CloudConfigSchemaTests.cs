using NJsonSchema;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata;

/// <summary>
/// Every <c>#cloud-config</c> example the package ships passes cloud-init's own schema, as cloud-init
/// 22.4.2 (Debian 12) and 26.2 publish it (<c>cloudinit/config/schemas/schema-cloud-config-v1.json</c>
/// at those tags, kept in tests/fixtures/cloud-init/). 23.4 and later reject unknown top-level keys;
/// the old <c>ramdax:</c> key is shown to fail there, so these checks can fail.
/// </summary>
public sealed class CloudConfigSchemaTests
{
    public static TheoryData<string> Versions() => ["22.4.2", "26.2"];

    public static TheoryData<string, string> ShippedCloudConfigs()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in Directory.GetFiles(Path.Join(Repository.Top, "templates", "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            if (File.ReadAllText(example).StartsWith("#cloud-config", StringComparison.Ordinal))
            {
                foreach (var version in (string[])["22.4.2", "26.2"])
                {
                    data.Add(Path.GetFileName(example), version);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedCloudConfigs))]
    public async Task A_shipped_cloud_config_example_passes_cloud_init_s_schema(string example, string version)
    {
        var errors = await ValidateAsync(File.ReadAllText(Path.Join(Repository.Top, "templates", "examples", example)), version);

        Assert.Empty(errors);
    }

    [Fact]
    public void The_package_ships_a_cloud_config_example() =>
        Assert.Contains(ShippedCloudConfigs(), row => (string)row[0] == "cloud-config.yaml");

    [Fact]
    public async Task The_old_top_level_ramdax_key_fails_the_schema_of_cloud_init_26()
    {
        const string legacy = "#cloud-config\nramdax:\n  carveout:\n    size: 16G\n";

        Assert.Empty(await ValidateAsync(legacy, "22.4.2"));
        Assert.Contains("NoAdditionalPropertiesAllowed: #/ramdax", await ValidateAsync(legacy, "26.2"));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_write_files_entry_with_a_key_cloud_init_does_not_know_fails_the_schema(string version)
    {
        const string wrong = "#cloud-config\nwrite_files:\n  - path: /etc/ramdax-provision/config.d/90-user-data.yaml\n    mode: '0644'\n    content: 'carveout: {size: 1G}'\n";

        Assert.Contains("NoAdditionalPropertiesAllowed: #/write_files[0].mode", await ValidateAsync(wrong, version));
    }

    private static async Task<List<string>> ValidateAsync(string cloudConfig, string version)
    {
        var schema = await JsonSchema.FromFileAsync(Fixtures.PathTo($"cloud-init/schema-cloud-config-v1.{version}.json"));
        return SchemaValidation.Errors(schema, cloudConfig);
    }
}
