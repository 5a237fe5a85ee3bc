using RamDax.Provision.Configuration;
using RamDax.Provision.Metadata;
using RamDax.Provision.Tests.Metadata.Fakes;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata;

/// <summary>
/// The precedence a fleet operator relies on, end to end: image files &lt; instance-type profile &lt;
/// the cloud's ramdax tag &lt; cloud-init's ramdax: key &lt; environment &lt; --set.
/// </summary>
public sealed class MetadataLayeringTests : IDisposable
{
    private const string ImageConfig = """
        carveout:
          size: 2G
          min_os_memory: 1G
        namespaces:
          - name: image
            size: rest
        profiles:
          m7i.4xlarge:
            carveout:
              size: 4G
              max_ranges: 2
        metadata_may_set: [mount.path]
        """;

    private const string Tag = """
        carveout:
          size: 8G
        namespaces:
          - name: tagged
            size: rest
        """;

    private readonly TempRoot _root = new TempRoot()
        .CopyFixture("metadata/cloud-init-ec2")
        .Write("/etc/ramdax-provision/config.yaml", ImageConfig);

    public void Dispose() => _root.Dispose();

    private async Task<LoadedConfiguration> LoadAsync(params string[] sets)
    {
        await using var aws = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("m7i.4xlarge", Tag), "token"));
        var request = new ConfigurationRequest(_root.Root, [], [.. sets], Environment: []);
        var resolution = MetadataStep.Resolve(request, offline: false, new MetadataResolver(_root.Root, Timing.Fast(), aws.BaseUrl) { RootIsThisMachine = true });
        return ConfigurationLoader.Load(resolution.ApplyTo(request));
    }

    [Fact]
    public async Task The_metadata_instance_type_selects_the_profile()
    {
        var loaded = await LoadAsync();

        Assert.Equal("m7i.4xlarge", loaded.Profile);
        // The profile's values point at the lines of the profile in the image file, named as the profile.
        Assert.Equal(2, loaded.Settings.Carveout.MaxRanges);
        Assert.Equal(new SourcePosition("profile 'm7i.4xlarge' in /etc/ramdax-provision/config.yaml", 11, 19), loaded.Layers.Where("carveout:max_ranges"));
        Assert.Equal(new Provision.Configuration.Settings.InstanceSettings("i-0929128ff2f73a2f1", "m7i.4xlarge", "aws"), loaded.Settings.Instance);
        Assert.StartsWith("cloud-init /run/cloud-init/instance-data.json + aws IMDSv2", loaded.Layers.Where("instance:type")?.Layer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tag_overrides_the_image_file_and_the_profile()
    {
        var loaded = await LoadAsync();

        Assert.Equal("8G", loaded.Layers["carveout:size"]);
        Assert.Equal("aws tag 'ramdax'", loaded.Layers.Where("carveout:size")?.Layer);
    }

    [Fact]
    public async Task The_cloud_init_ramdax_key_overrides_the_tag()
    {
        var loaded = await LoadAsync();

        var only = Assert.Single(loaded.Settings.Namespaces);
        Assert.Equal(("scratch", "/mnt/scratch"), (only.Name, only.Mount?.Path));
        Assert.Equal("cloud-init combined-cloud-config.json", loaded.Layers.Where("namespaces:0:name")?.Layer);
    }

    [Fact]
    public async Task The_command_line_wins_over_every_metadata_layer()
    {
        var loaded = await LoadAsync("carveout.size=6G", "instance.type=c7i.large");

        Assert.Equal("6G", loaded.Layers["carveout:size"]);
        Assert.Equal("--set", loaded.Layers.Where("carveout:size")?.Layer);
        Assert.Equal("c7i.large", loaded.Settings.Instance.Type);
        Assert.Null(loaded.Profile);
    }
}
