using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Metadata;
using RamDax.Provision.Tests.Metadata.Fakes;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata;

public sealed class MetadataResolverTests
{
    private static MetadataSettings Settings(MetadataSource source, bool required = false, TimeSpan? budget = null) =>
        new(source, null, required, budget ?? TimeSpan.FromSeconds(20), AllowImdsV1: false);

    private static async Task<Uri> DeadEndpointAsync()
    {
        await using var gone = new TestHttpServer(_ => TestResponse.Ok(""));
        return gone.BaseUrl;
    }

    [Fact]
    public async Task When_no_source_answers_the_agent_goes_on_with_the_local_configuration_and_says_so()
    {
        using var root = new TempRoot();
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), await DeadEndpointAsync());

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Aws, budget: TimeSpan.FromMilliseconds(300)));

        Assert.False(resolution.Outcome.Answered);
        Assert.Empty(resolution.MetadataLayers);
        var warning = Assert.Single(resolution.Outcome.Warnings);
        Assert.StartsWith("no instance metadata (aws: no answer from http://127.0.0.1:", warning, StringComparison.Ordinal);
        Assert.EndsWith("going on with the local configuration only", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_metadata_that_nobody_answers_fails_with_a_clear_error()
    {
        using var root = new TempRoot();
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), await DeadEndpointAsync());

        var e = await Assert.ThrowsAsync<MetadataUnavailableException>(() => resolver.ResolveAsync(Settings(MetadataSource.Gce, required: true, budget: TimeSpan.FromSeconds(2))));

        Assert.Equal(ExitCodes.MetadataUnavailable, e.ExitCode);
        Assert.Contains("metadata.required: true", e.Message, StringComparison.Ordinal);
        Assert.Contains("gce: no answer from", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_none_asks_nobody()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-ec2");
        var resolver = new MetadataResolver(root.Root, Timing.Fast());

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.None, required: true));

        Assert.Null(resolution.Outcome.Metadata);
        Assert.Empty(resolution.Outcome.Warnings);
    }

    [Fact]
    public async Task Auto_asks_the_cloud_the_firmware_names()
    {
        using var root = new TempRoot().Write("/sys/class/dmi/id/chassis_asset_tag", "7783-7084-3265-9085-8269-3286-77\n");
        await using var server = new TestHttpServer(FakeClouds.Azure("Standard_E16s_v5", new Dictionary<string, string> { ["ramdax"] = "carveout: {size: 64G}" }));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto));

        Assert.Equal(MetadataSource.Azure, resolution.Outcome.AnsweredBy);
        Assert.Empty(resolution.Outcome.Warnings);
        Assert.Equal("azure tag 'ramdax'", resolution.MetadataLayers[1].Name);
        Assert.Equal("64G", resolution.MetadataLayers[1].Values["carveout:size"].Value);
    }

    [Fact]
    public async Task Auto_probes_the_clouds_when_nothing_names_one()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.Gce(new Dictionary<string, string>()));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto));

        Assert.Equal(MetadataSource.Gce, resolution.Outcome.AnsweredBy);
        Assert.Equal("n2-highmem-8", resolution.Outcome.Metadata?.Type);
        Assert.Empty(resolution.Outcome.Warnings);
    }

    [Fact]
    public async Task A_base64_tag_is_decoded()
    {
        using var root = new TempRoot();
        var tag = Convert.ToBase64String("carveout:\n  size: 16G\n"u8.ToArray());
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge", tag), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Aws));

        Assert.Equal("16G", resolution.MetadataLayers[1].Values["carveout:size"].Value);
    }

    [Fact]
    public async Task Invalid_YAML_in_a_tag_is_a_configuration_error_naming_the_tag()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge", "carveout: {size: 16G\n"), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var e = await Assert.ThrowsAsync<ConfigurationException>(() => resolver.ResolveAsync(Settings(MetadataSource.Aws)));

        Assert.StartsWith("aws tag 'ramdax'", Assert.Single(e.Errors).Position?.Layer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_data_never_appears_in_an_error()
    {
        using var root = new TempRoot();
        const string secret = "hunter2-do-not-print";
        var userData = $"#cloud-config\npassword: {secret}\nramdax:\n  carveout: [size\n";
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge", userData: userData), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var e = await Assert.ThrowsAsync<ConfigurationException>(() => resolver.ResolveAsync(Settings(MetadataSource.Aws)));

        Assert.Contains("aws user-data", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_cannot_choose_its_own_source()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge", "metadata:\n  source: none\n"), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var e = await Assert.ThrowsAsync<ConfigurationException>(() => resolver.ResolveAsync(Settings(MetadataSource.Aws)));

        Assert.Contains("metadata settings cannot come from metadata itself", e.Message, StringComparison.Ordinal);
    }
}
