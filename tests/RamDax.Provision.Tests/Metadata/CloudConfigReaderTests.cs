using System.Text;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Metadata;
using RamDax.Provision.Tests.Metadata.Fakes;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata;

/// <summary>
/// The documented user-data form (a write_files entry for config.d) and the old ramdax: key, read
/// from the shipped example, from user-data the agent fetches itself, and from the files both
/// generations of cloud-init leave behind.
/// </summary>
public sealed class CloudConfigReaderTests
{
    private static readonly string Example = Path.Join(Repository.Top, "templates", "examples", "cloud-config.yaml");

    private static MetadataSettings Auto => new(MetadataSource.Auto, null, Required: false, TimeSpan.FromSeconds(4), AllowImdsV1: false);

    [Fact]
    public void The_shipped_example_gives_its_config_d_file_with_positions_in_the_document()
    {
        var errors = new List<ConfigError>();
        var warnings = new List<string>();

        var layer = CloudConfigReader.Read(File.ReadAllText(Example), "cloud-config.yaml", errors, warnings);

        Assert.Empty(errors);
        Assert.Empty(warnings);
        Assert.Equal("16G", layer.Values["carveout:size"].Value);
        Assert.Equal("/mnt/scratch", layer.Values["namespaces:0:mount:path"].Value);
        var lines = File.ReadAllLines(Example);
        var position = layer.Values["carveout:size"].Position;
        Assert.Equal("cloud-config.yaml write_files[0] /etc/ramdax-provision/config.d/90-user-data.yaml", position.Layer);
        Assert.Equal("16G", lines[position.Line - 1][(position.Column - 1)..].Trim());
    }

    [Fact]
    public void Validate_and_config_read_the_write_files_form()
    {
        var errors = new List<ConfigError>();
        var layer = ConfigurationLoader.ReadFile(Example, Example, errors);

        Assert.Empty(errors);
        Assert.Equal("scratch", layer.Values["namespaces:0:name"].Value);
    }

    [Fact]
    public void An_error_inside_the_content_points_at_the_line_of_the_document()
    {
        const string userData = "#cloud-config\nwrite_files:\n  - path: /etc/ramdax-provision/config.d/90-user-data.yaml\n    content: |\n      carveout:\n        size: [16G\n";
        var errors = new List<ConfigError>();

        CloudConfigReader.Read(userData, "user-data", errors);

        var error = Assert.Single(errors);
        Assert.Equal("user-data write_files[0] /etc/ramdax-provision/config.d/90-user-data.yaml", error.Position?.Layer);
        Assert.InRange(error.Position!.Line, 6, 7);
    }

    [Fact]
    public void Base64_contents_are_decoded()
    {
        var content = "carveout:\n  size: 4G\n";
        var userData = "#cloud-config\nwrite_files:\n"
            + $"  - path: /etc/ramdax-provision/config.d/50-a.yaml\n    encoding: b64\n    content: {Convert.ToBase64String(Encoding.UTF8.GetBytes(content))}\n";
        var errors = new List<ConfigError>();

        var layer = CloudConfigReader.Read(userData, "user-data", errors);

        Assert.Empty(errors);
        Assert.Equal("4G", layer.Values["carveout:size"].Value);
    }

    [Fact]
    public void Gzip_contents_are_left_to_cloud_init_with_an_error_that_says_so()
    {
        var userData = "#cloud-config\nwrite_files:\n"
            + "  - path: /etc/ramdax-provision/config.d/60-b.yaml\n    encoding: gz+b64\n    content: H4sIAAAAAAAAA0vOSS0uBgBfKGHuBgAAAA==\n";
        var errors = new List<ConfigError>();

        CloudConfigReader.Read(userData, "user-data", errors);

        Assert.Contains(errors, e => e.Message.Contains("gz+b64 is unpacked by cloud-init", StringComparison.Ordinal));
    }

    [Fact]
    public void Drop_ins_apply_in_name_order_and_the_old_key_last()
    {
        const string userData = """
            #cloud-config
            write_files:
              - path: /etc/ramdax-provision/config.d/90-late.yaml
                content: "carveout: {size: 9G, alignment: 2G}"
              - path: /etc/ramdax-provision/config.d/10-early.yaml
                content: "carveout: {size: 1G, min_os_memory: 3G}"
              - path: /etc/motd
                content: "not ours"
            ramdax:
              carveout: {alignment: 4G}
            """;
        var errors = new List<ConfigError>();
        var warnings = new List<string>();

        var layer = CloudConfigReader.Read(userData, "user-data", errors, warnings);

        Assert.Empty(errors);
        Assert.Equal(("9G", "3G", "4G"), (layer.Values["carveout:size"].Value, layer.Values["carveout:min_os_memory"].Value, layer.Values["carveout:alignment"].Value));
        Assert.Contains("cloud-init 23.4 and later reject it", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    defer: true\n", "defer: true writes")]
    [InlineData("    encoding: gzip\n", "encoding: gzip is not read")]
    [InlineData("    encoding: b64\n", "is not valid b64")]
    public void Entries_that_would_not_reach_the_agent_are_errors(string extra, string expected)
    {
        var userData = "#cloud-config\nwrite_files:\n  - path: /etc/ramdax-provision/config.d/90-user-data.yaml\n" + extra + "    content: 'carveout: {size: 1G}'\n";
        var errors = new List<ConfigError>();

        CloudConfigReader.Read(userData, "user-data", errors);

        Assert.Contains(expected, Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_config_d_would_not_read_is_an_error()
    {
        var errors = new List<ConfigError>();

        CloudConfigReader.Read("#cloud-config\nwrite_files:\n  - path: /etc/ramdax-provision/config.d/90-user-data.conf\n    content: x\n", "user-data", errors);

        Assert.Contains("is not read by ramdax-provision", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_cloud_init_the_write_files_form_in_a_NoCloud_seed_is_applied()
    {
        using var root = new TempRoot()
            .Write("/var/lib/cloud/seed/nocloud/meta-data", "instance-id: iid-seed-1\n")
            .Write("/var/lib/cloud/seed/nocloud/user-data", File.ReadAllText(Example));

        var resolution = await new MetadataResolver(root.Root, Timing.Fast()).ResolveAsync(Auto);

        Assert.Equal(MetadataSource.NoCloud, resolution.Outcome.AnsweredBy);
        Assert.Empty(resolution.Outcome.Warnings);
        Assert.Equal("16G", resolution.MetadataLayers[1].Values["carveout:size"].Value);
    }

    [Fact]
    public async Task Without_cloud_init_the_write_files_form_in_service_user_data_is_applied()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge", userData: File.ReadAllText(Example)), "token"));

        var resolution = await new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl).ResolveAsync(Auto with { Source = MetadataSource.Aws });

        Assert.Equal("/mnt/scratch", resolution.MetadataLayers[1].Values["namespaces:0:mount:path"].Value);
        Assert.Equal("aws user-data write_files[0] /etc/ramdax-provision/config.d/90-user-data.yaml", resolution.MetadataLayers[1].Values["carveout:size"].Position.Layer);
    }

    [Fact]
    public async Task Cloud_init_23_3_and_later_the_ramdax_key_of_combined_cloud_config_applies_with_a_warning()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-ec2");

        var resolution = await new MetadataResolver(root.Root, Timing.Fast()).ResolveAsync(Auto);

        Assert.Equal("cloud-init combined-cloud-config.json", Assert.Single(resolution.CloudInitLayers).Name);
        Assert.Contains(resolution.Outcome.Warnings, w => w.StartsWith("cloud-init combined-cloud-config.json: the top-level ramdax: key still works", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cloud_init_22_4_without_combined_cloud_config_the_stored_cloud_config_gives_the_ramdax_key()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-22.4-ramdax-key");
        var request = new ConfigurationRequest(root.Root, [], [], Environment: []);

        var resolution = MetadataStep.Resolve(request, offline: false, new MetadataResolver(root.Root, Timing.Fast()));
        var loaded = ConfigurationLoader.Load(resolution.ApplyTo(request));

        Assert.Equal(MetadataSource.CloudInit, resolution.Outcome.AnsweredBy);
        Assert.Equal("iid-bookworm-0001", resolution.Outcome.Metadata?.Id);
        Assert.Equal("2G", loaded.Layers["carveout:size"]);
        Assert.Equal("cloud-init /var/lib/cloud/instances/iid-bookworm-0001/cloud-config.txt", loaded.Layers.Where("carveout:size")?.Layer);
        Assert.Equal("legacy", Assert.Single(loaded.Settings.Namespaces).Name);
        Assert.Contains(resolution.Outcome.Warnings, w => w.Contains("the top-level ramdax: key still works", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cloud_init_22_4_with_the_write_files_form_reads_config_d_once_and_warns_of_nothing()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-22.4-write-files");
        var request = new ConfigurationRequest(root.Root, [], [], Environment: []);

        var resolution = MetadataStep.Resolve(request, offline: false, new MetadataResolver(root.Root, Timing.Fast()));
        var loaded = ConfigurationLoader.Load(resolution.ApplyTo(request));

        Assert.Empty(resolution.Outcome.Warnings);
        Assert.Empty(resolution.CloudInitLayers);
        Assert.Equal("/etc/ramdax-provision/config.d/90-user-data.yaml", loaded.Layers.Where("carveout:size")?.Layer);
        Assert.Equal("scratch", Assert.Single(loaded.Settings.Namespaces).Name);
    }

    [Fact]
    public async Task Cloud_init_22_4_stored_cloud_config_of_another_instance_is_not_read()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-22.4-ramdax-key");
        Directory.Move(root.Root.Resolve("/var/lib/cloud/instances/iid-bookworm-0001"), root.Root.Resolve("/var/lib/cloud/instances/iid-previous"));

        var resolution = await new MetadataResolver(root.Root, Timing.Fast()).ResolveAsync(Auto);

        Assert.Empty(resolution.CloudInitLayers);
    }

    // What cloud-init 22.4.2 left in the Debian 12 guest of end-to-end scenario 11 (recorded, not built):
    // instance-data.json without combined-cloud-config.json beside it, and the instance's stored cloud-config.txt
    // with the write_files entry it had already written into config.d.
    [Fact]
    public async Task Cloud_init_22_4_as_recorded_in_the_Debian_12_guest_answers_with_its_instance_and_gives_no_layer_or_warning()
    {
        const string recorded = "qemu-debian12-6.1-nd_e820";
        using var root = new TempRoot()
            .Write("/run/cloud-init/instance-data.json", Fixtures.Read($"{recorded}/instance-data.json"))
            .Write("/var/lib/cloud/instances/iid-e2e-bookworm/cloud-config.txt", Fixtures.Read($"{recorded}/cloud-config.txt"));

        var resolution = await new MetadataResolver(root.Root, Timing.Fast()).ResolveAsync(Auto);

        Assert.Equal(MetadataSource.CloudInit, resolution.Outcome.AnsweredBy);
        Assert.Equal("iid-e2e-bookworm", resolution.Outcome.Metadata?.Id);
        Assert.Empty(resolution.CloudInitLayers);
        Assert.Empty(resolution.Outcome.Warnings);
    }
}
