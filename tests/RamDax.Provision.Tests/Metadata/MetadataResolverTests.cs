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
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl) { RootIsThisMachine = true };

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto));

        Assert.Equal(MetadataSource.Azure, resolution.Outcome.AnsweredBy);
        Assert.Empty(resolution.Outcome.Warnings);
        Assert.Equal("azure tag 'ramdax'", resolution.MetadataLayers[1].Name);
        Assert.Equal("64G", resolution.MetadataLayers[1].Values["carveout:size"].Value);
    }

    [Fact]
    public async Task Auto_probes_a_configured_endpoint_when_nothing_names_the_cloud()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.Gce(new Dictionary<string, string>()));
        var resolver = new MetadataResolver(root.Root, Timing.Fast()) { RootIsThisMachine = true };

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto) with { Endpoint = server.BaseUrl });

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

    [Fact]
    public async Task Auto_asks_no_service_when_nothing_on_the_machine_names_a_cloud()
    {
        using var root = new TempRoot().Write("/sys/class/dmi/id/sys_vendor", "QEMU\n").Write("/sys/class/dmi/id/product_name", "Standard PC (i440FX + PIIX, 1996)\n");
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge"), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl) { RootIsThisMachine = true };

        var started = System.Diagnostics.Stopwatch.StartNew();
        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto));

        Assert.True(started.ElapsedMilliseconds < 300, $"took {started.ElapsedMilliseconds} ms");
        Assert.False(resolution.Outcome.Answered);
        Assert.Empty(server.Requests);
        Assert.Contains("no cloud found", Assert.Single(resolution.Outcome.Warnings), StringComparison.Ordinal);
        Assert.Contains("set metadata.source or metadata.endpoint", resolution.Outcome.Warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_root_the_cloud_the_firmware_names_is_not_asked()
    {
        using var root = new TempRoot().Write("/sys/class/dmi/id/sys_vendor", "Amazon EC2\n");
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge"), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto));

        Assert.False(resolver.RootIsThisMachine);
        Assert.Empty(server.Requests);
        Assert.Contains("names aws, but under --root", Assert.Single(resolution.Outcome.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_root_a_source_set_explicitly_is_asked()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge"), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Aws));

        Assert.Equal("r7i.2xlarge", resolution.Outcome.Metadata?.Type);
    }

    [Fact]
    public async Task Under_a_root_cloud_init_files_are_read_but_the_cloud_is_not_asked_for_its_tag()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-ec2");
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("m7i.4xlarge", "carveout: {size: 8G}"), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto));

        Assert.Equal(MetadataSource.CloudInit, resolution.Outcome.AnsweredBy);
        Assert.Empty(server.Requests);
        Assert.Contains(resolution.Outcome.Warnings, w => w.Contains("metadata service is not asked for the ramdax tag", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("datasource_list: [ Ec2, None ]\n", "Aws")]
    [InlineData("di_report:\n  datasource_list: [ Azure, None ]\n", null)]
    [InlineData("datasource_list: [ GCE, None ]\n", "Gce")]
    [InlineData("datasource_list: [ ConfigDrive, None ]\n", "OpenStack")]
    [InlineData("datasource_list: [ NoCloud, None ]\n", "NoCloud")]
    [InlineData("datasource_list: [ Ec2, GCE, None ]\n", null)]
    [InlineData("datasource_list: [ None ]\n", null)]
    public void Ds_identify_names_the_cloud_when_it_chose_one_datasource(string cloudCfg, string? expected) =>
        Assert.Equal(expected, CloudEvidence.FromDsIdentify(cloudCfg)?.ToString());

    [Fact]
    public async Task Auto_asks_the_cloud_ds_identify_chose()
    {
        using var root = new TempRoot().Write("/run/cloud-init/cloud.cfg", "datasource_list: [ Ec2, None ]\n");
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge"), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl) { RootIsThisMachine = true };

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto));

        Assert.Equal(MetadataSource.Aws, resolution.Outcome.AnsweredBy);
    }

    [Fact]
    public async Task A_config_drive_by_label_points_at_OpenStack_and_a_cidata_volume_is_named_not_probed()
    {
        using var configDrive = new TempRoot();
        Directory.CreateDirectory(configDrive.Root.Resolve("/dev/disk/by-label"));
        File.CreateSymbolicLink(configDrive.Root.Resolve("/dev/disk/by-label/config-2"), "../../sr0");
        await using var server = new TestHttpServer(FakeClouds.OpenStack("""{"uuid": "83679162-1378-4288-a2d4-70e13ec132aa"}"""));
        var resolver = new MetadataResolver(configDrive.Root, Timing.Fast(), server.BaseUrl) { RootIsThisMachine = true };
        Assert.Equal(MetadataSource.OpenStack, (await resolver.ResolveAsync(Settings(MetadataSource.Auto))).Outcome.AnsweredBy);

        using var noCloud = new TempRoot();
        Directory.CreateDirectory(noCloud.Root.Resolve("/dev/disk/by-label"));
        File.CreateSymbolicLink(noCloud.Root.Resolve("/dev/disk/by-label/cidata"), "../../sr0");
        var requests = server.Requests.Count;
        var resolution = await new MetadataResolver(noCloud.Root, Timing.Fast(), server.BaseUrl) { RootIsThisMachine = true }.ResolveAsync(Settings(MetadataSource.Auto));
        Assert.False(resolution.Outcome.Answered);
        Assert.Equal(requests, server.Requests.Count);
        Assert.Contains("a NoCloud volume (/dev/disk/by-label/cidata, not mounted)", Assert.Single(resolution.Outcome.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_whole_metadata_step_ends_within_its_budget_when_the_service_never_answers()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-ec2");
        await using var silent = new TestHttpServer(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return TestResponse.Ok("");
        });
        var resolver = new MetadataResolver(root.Root, Timing.Fast(attemptTimeout: TimeSpan.FromMilliseconds(300)), silent.BaseUrl) { RootIsThisMachine = true };

        var started = System.Diagnostics.Stopwatch.StartNew();
        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Auto, budget: TimeSpan.FromSeconds(1)));

        // The budget, plus at most the second reading the texts may take once the fetches are cut off.
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(MetadataSource.CloudInit, resolution.Outcome.AnsweredBy);
        Assert.Contains(resolution.Outcome.Warnings, w => w.Contains("the ramdax tag of aws could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_password_in_the_endpoint_is_never_printed()
    {
        using var root = new TempRoot();
        var dead = await DeadEndpointAsync();
        var endpoint = new Uri($"http://fleet:s3cr3t-pw@127.0.0.1:{dead.Port}/");
        var resolver = new MetadataResolver(root.Root, Timing.Fast());

        var resolution = await resolver.ResolveAsync(Settings(MetadataSource.Aws, budget: TimeSpan.FromMilliseconds(300)) with { Endpoint = endpoint });
        var e = await Assert.ThrowsAsync<MetadataUnavailableException>(() => resolver.ResolveAsync(Settings(MetadataSource.Gce, required: true, budget: TimeSpan.FromMilliseconds(300)) with { Endpoint = endpoint }));

        Assert.Contains($"http://127.0.0.1:{dead.Port}", resolution.Outcome.Warnings[0], StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", resolution.Outcome.Warnings[0], StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fleet", e.Message, StringComparison.Ordinal);
    }
}
