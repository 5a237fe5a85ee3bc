using RamDax.Provision.Configuration;

namespace RamDax.Provision.Tests.Configuration;

public sealed class YamlLayerReaderTests
{
    [Fact]
    public void Every_value_remembers_its_line_and_column()
    {
        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.Read("carveout:\n  size: 64G\nnamespaces:\n  - name: fast\n    size: rest\n", "a.yaml", errors);

        Assert.Empty(errors);
        Assert.Equal("64G", layer.Values["carveout:size"].Value);
        Assert.Equal(new SourcePosition("a.yaml", 2, 9), layer.Values["carveout:size"].Position);
        Assert.Equal(new SourcePosition("a.yaml", 4, 11), layer.Values["namespaces:0:name"].Position);
        Assert.Contains("namespaces", layer.ListRoots);
    }

    [Fact]
    public void Broken_yaml_is_reported_with_its_position()
    {
        var errors = new List<ConfigError>();
        YamlLayerReader.Read("carveout:\n  size: [64G\n", "broken.yaml", errors);

        var error = Assert.Single(errors);
        Assert.Equal("broken.yaml", error.Position!.Layer);
        Assert.True(error.Position.Line >= 2);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_value_where_settings_belong_is_said_in_words_at_its_position()
    {
        var errors = new List<ConfigError>();
        YamlLayerReader.Read("namespaces:\n  - name: fast\n    filesystem: ext4\n", "shape.yaml", errors);

        var error = Assert.Single(errors);
        Assert.Equal(3, error.Position!.Line);
        Assert.Contains("a single value stands where a group of settings belongs", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception during deserialization", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_where_a_value_belongs_is_reported_with_its_position()
    {
        var errors = new List<ConfigError>();
        YamlLayerReader.Read("carveout:\n  placement:\n    - 4G\n", "shape.yaml", errors);

        var error = Assert.Single(errors);
        Assert.Equal(3, error.Position!.Line);
    }

    [Fact]
    public void A_cloud_config_contributes_only_its_ramdax_key()
    {
        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.ReadCloudConfig("#cloud-config\npackages: [ndctl]\nramdax:\n  carveout:\n    size: 25%\n", "user-data", errors);

        Assert.Empty(errors);
        Assert.Equal("25%", Assert.Single(layer.Values).Value.Value);
        Assert.Equal(5, layer.Values["carveout:size"].Position.Line);
    }

    [Fact]
    public void A_cloud_config_without_ramdax_key_gives_nothing()
    {
        var errors = new List<ConfigError>();
        Assert.Empty(YamlLayerReader.ReadCloudConfig("#cloud-config\npackages: [ndctl]\n", "user-data", errors).Values);
        Assert.Empty(errors);
    }

    [Fact]
    public void An_empty_file_is_an_empty_layer()
    {
        var errors = new List<ConfigError>();
        Assert.Empty(YamlLayerReader.Read("# only comments\n", "empty.yaml", errors).Values);
        Assert.Empty(errors);
    }
}
