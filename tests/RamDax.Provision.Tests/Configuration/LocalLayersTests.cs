using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Configuration;

/// <summary>
/// The local files are read once per run: the metadata step and the final load use the layers
/// <see cref="ConfigurationLoader.ReadLocal"/> read, not the files as they are by then.
/// </summary>
public sealed class LocalLayersTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Loads_after_ReadLocal_use_the_layers_read_then_and_not_the_files()
    {
        _root.Write("/etc/ramdax-provision/config.yaml", "carveout:\n  size: 8G\nmetadata:\n  required: true\n");
        var request = ConfigurationLoader.ReadLocal(new ConfigurationRequest(_root.Root, [], [], []));
        _root.Write("/etc/ramdax-provision/config.yaml", "carveout:\n  size: 2G\n");

        var metadata = ConfigurationLoader.LoadMetadataSettings(request);
        var settings = ConfigurationLoader.Load(request).Settings;

        Assert.True(metadata.Required);
        Assert.Equal(8UL << 30, ((SizeRequest.Absolute)settings.Carveout.Size!).Bytes);
        Assert.Equal(2UL << 30, ((SizeRequest.Absolute)ConfigurationLoader.Load(new ConfigurationRequest(_root.Root, [], [], [])).Settings.Carveout.Size!).Bytes);
    }

    [Fact]
    public void A_file_that_could_not_be_parsed_is_reported_by_every_load_that_uses_the_layers()
    {
        _root.Write("/etc/ramdax-provision/config.yaml", "carveout: [unclosed\n");
        var request = ConfigurationLoader.ReadLocal(new ConfigurationRequest(_root.Root, [], [], []));

        var first = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.LoadMetadataSettings(request));
        var second = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(request));

        Assert.Contains("/etc/ramdax-provision/config.yaml", first.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/ramdax-provision/config.yaml", second.Message, StringComparison.Ordinal);
    }
}
