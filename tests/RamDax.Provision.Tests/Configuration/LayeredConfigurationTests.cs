using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Document;

namespace RamDax.Provision.Tests.Configuration;

public sealed class LayeredConfigurationTests
{
    private const string Yaml = """
        carveout: {size: 25%, placement: {numa: spread}}
        namespaces:
          - {name: a, size: 1G, mount: {options: [noatime, lazytime]}, filesystem: {type: xfs, mkfs_options: [-K]}}
          - {name: b, mode: devdax, size: rest, alignment: 1G, device: {owner: qemu}}
          - {name: c, size: 10%}
        profiles:
          "Standard_E*": {carveout: {size: 50%}, namespaces: [{name: p, size: rest}]}
        """;

    [Fact]
    public void Binding_through_the_index_gives_what_the_stock_in_memory_provider_gives()
    {
        var errors = new List<ConfigError>();
        var layered = LayeredConfiguration.Merge([YamlLayerReader.Read(Yaml, "t.yaml", errors)]);
        var stock = new ConfigurationBuilder()
            .AddInMemoryCollection(layered.Effective.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.Value)))
            .Build()
            .Get<ConfigDocument>();

        Assert.Empty(errors);
        Assert.Equal(JsonSerializer.Serialize(stock), JsonSerializer.Serialize(layered.Bind()));
        Assert.Equal("lazytime", layered.Bind().Namespaces![0].Mount!.Options![1]);
    }

    [Fact]
    public void A_list_a_later_layer_writes_replaces_the_earlier_list_with_its_inner_lists()
    {
        var errors = new List<ConfigError>();
        var first = YamlLayerReader.Read(Yaml, "first.yaml", errors);
        var second = YamlLayerReader.Read("namespaces: [{name: only, size: 2G}]\n", "second.yaml", errors);

        var merged = LayeredConfiguration.Merge([first, second]);

        Assert.Equal("only", merged["namespaces:0:name"]);
        Assert.Null(merged["namespaces:0:mount:options:0"]);
        Assert.Null(merged["namespaces:1:name"]);
        Assert.Equal("25%", merged["carveout:size"]);
    }

    [Fact]
    public void Keys_are_checked_once_per_shape_and_unknown_ones_still_reported_with_their_place()
    {
        var errors = new List<ConfigError>();
        var text = "namespaces:\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"  - {{name: n{i}, size: 16M}}\n")) + "  - {name: x, sise: 1G}\n";
        var layer = YamlLayerReader.Read(text, "big.yaml", errors);

        ConfigSchema.CheckKeys(layer, errors);

        var error = Assert.Single(errors);
        Assert.Equal("namespaces:2000:sise", error.Key);
        Assert.Equal(2002, error.Position!.Line);
    }
}
