using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Metadata.Providers.Aws;
using RamDax.Provision.Metadata.Providers.Azure;
using RamDax.Provision.Metadata.Providers.CloudInit;
using RamDax.Provision.Metadata.Providers.Gce;
using RamDax.Provision.Metadata.Providers.NoCloud;
using RamDax.Provision.Metadata.Providers.OpenStack;
using RamDax.Provision.Tests.Metadata.Fakes;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata.Providers;

public sealed class ProviderTests
{
    private const string Token = "AQAEAFTxSecretSessionToken==";

    [Fact]
    public async Task I_can_read_identity_the_ramdax_tag_and_user_data_from_Azure_IMDS()
    {
        var userData = "#cloud-config\nramdax:\n  carveout: {size: 8G}\n";
        await using var server = new TestHttpServer(FakeClouds.Azure("Standard_E16s_v5", new Dictionary<string, string> { ["env"] = "prod", ["ramdax"] = "carveout: {size: 64G}" }, userData));
        using var http = new MetadataHttpClient("azure", server.BaseUrl, Timing.Fast());

        var metadata = await new AzureProvider(http).FetchAsync(CancellationToken.None);

        Assert.NotNull(metadata);
        Assert.Equal(("azure", "02aab8a4-74ef-476e-8182-f6d2ba4166a6", "Standard_E16s_v5", "westeurope"), (metadata.Cloud, metadata.Id, metadata.Type, metadata.Region));
        Assert.Equal(
            [("carveout: {size: 64G}", "azure tag 'ramdax'", MetadataConfigurationKind.Tag), (userData, "azure user-data", MetadataConfigurationKind.UserData)],
            metadata.Configurations.Select(c => (c.Text, c.Origin, c.Kind)));
        Assert.Equal("true", Assert.Single(server.Requests).Header("Metadata"));
    }

    [Fact]
    public async Task Azure_IMDS_refuses_a_request_without_its_header_and_the_agent_says_so()
    {
        await using var server = new TestHttpServer(FakeClouds.Azure("Standard_E16s_v5", new Dictionary<string, string>()));
        using var http = new MetadataHttpClient("azure", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => http.GetTextAsync(AzureProvider.InstancePath, [], CancellationToken.None));

        Assert.Contains("answered 400 Bad Request", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_read_AWS_IMDSv2_with_a_session_token()
    {
        var paths = FakeClouds.AwsInstance("m7i.4xlarge", tag: "carveout:\n  size: 64G\n", userData: "#!/bin/sh\necho hello\n");
        await using var server = new TestHttpServer(FakeClouds.Aws(paths, Token, v2Only: true));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var metadata = await new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None);

        Assert.NotNull(metadata);
        Assert.Equal(("aws", "i-0929128ff2f73a2f1", "m7i.4xlarge", "us-east-1"), (metadata.Cloud, metadata.Id, metadata.Type, metadata.Region));
        Assert.StartsWith("aws IMDSv2 ", metadata.Origin, StringComparison.Ordinal);
        Assert.Equal(["aws tag 'ramdax'", "aws user-data"], metadata.Configurations.Select(c => c.Origin));
        var put = server.Requests.First();
        Assert.Equal(("PUT", "/latest/api/token"), (put.Method, put.Path));
        Assert.NotNull(put.Header(AwsProvider.TokenTtlHeader));
        Assert.All(server.Requests.Skip(1), r => Assert.Equal(Token, r.Header(AwsProvider.TokenHeader)));
    }

    [Fact]
    public async Task IMDSv1_is_not_used_unless_allowed()
    {
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("c7i.large"), Token, v2Only: false, tokensDisabled: true));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None));

        Assert.Contains("PUT /latest/api/token answered 403 Forbidden", e.Message, StringComparison.Ordinal);
        Assert.Contains("metadata.allow_imdsv1: true", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task IMDSv1_is_used_when_allowed_and_the_service_gives_no_token()
    {
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("c7i.large"), Token, v2Only: false, tokensDisabled: true));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var metadata = await new AwsProvider(http, allowImdsV1: true).FetchAsync(CancellationToken.None);

        Assert.Equal("c7i.large", metadata?.Type);
        Assert.StartsWith("aws IMDSv1 ", metadata?.Origin, StringComparison.Ordinal);
        Assert.All(server.Requests.Skip(1), r => Assert.Null(r.Header(AwsProvider.TokenHeader)));
    }

    [Fact]
    public async Task A_GET_without_a_token_in_v2_only_mode_is_401_and_reported_without_the_token()
    {
        // A service that hands out a token and then rejects it (the token expired, or a proxy in between).
        await using var server = new TestHttpServer(request => request.Method == "PUT" ? TestResponse.Ok(Token) : new TestResponse(401, "Unauthorized"));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None));

        Assert.Contains("answered 401 Unauthorized", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_read_GCE_attributes_and_the_machine_type_after_a_burst_of_503()
    {
        var calls = 0;
        var gce = FakeClouds.Gce(new Dictionary<string, string> { ["ramdax"] = "Y2FydmVvdXQ6IHtzaXplOiAzMkd9" });
        await using var server = new TestHttpServer(request => Interlocked.Increment(ref calls) <= 2 ? new TestResponse(503, "") : gce(request));
        using var http = new MetadataHttpClient("gce", server.BaseUrl, Timing.Fast());

        var metadata = await new GceProvider(http).FetchAsync(CancellationToken.None);

        Assert.NotNull(metadata);
        Assert.Equal(("gce", "4520031799277581759", "n2-highmem-8", "us-central1"), (metadata.Cloud, metadata.Id, metadata.Type, metadata.Region));
        var tag = Assert.Single(metadata.Configurations);
        Assert.Equal("carveout: {size: 32G}", ConfigurationText.DecodeTag(tag.Text));
        Assert.All(server.Requests, r => Assert.Equal("Google", r.Header("Metadata-Flavor")));
    }

    [Fact]
    public async Task OpenStack_reads_the_config_drive_before_the_service()
    {
        using var root = new TempRoot().Write("/mnt/config/openstack/latest/meta_data.json", """
            {"uuid": "83679162-1378-4288-a2d4-70e13ec132aa", "availability_zone": "nova", "hostname": "test.novalocal",
             "name": "test", "launch_index": 0, "meta": {"ramdax": "carveout: {size: 16G}"}, "project_id": "f7ac731cc11f40efbc03a9f9e1d1d21f"}
            """);
        await using var server = new TestHttpServer(_ => new TestResponse(500, "should not be asked"));
        using var http = new MetadataHttpClient("openstack", server.BaseUrl, Timing.Fast());

        var metadata = await new OpenStackProvider(root.Root, http).FetchAsync(CancellationToken.None);

        Assert.Equal("83679162-1378-4288-a2d4-70e13ec132aa", metadata?.Id);
        Assert.Equal("openstack config drive /mnt/config", metadata?.Origin);
        Assert.Equal("openstack meta 'ramdax'", Assert.Single(metadata!.Configurations).Origin);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task OpenStack_falls_back_to_the_metadata_service()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.OpenStack(
            """{"uuid": "83679162-1378-4288-a2d4-70e13ec132aa", "availability_zone": "nova", "instance_type": "m1.xlarge"}""",
            "#cloud-config\nramdax:\n  carveout: {size: 4G}\n"));
        using var http = new MetadataHttpClient("openstack", server.BaseUrl, Timing.Fast());

        var metadata = await new OpenStackProvider(root.Root, http).FetchAsync(CancellationToken.None);

        Assert.Equal(("m1.xlarge", "nova"), (metadata?.Type, metadata?.Region));
        Assert.Equal("openstack user_data", Assert.Single(metadata!.Configurations).Origin);
    }

    [Fact]
    public async Task Invalid_JSON_from_a_service_is_reported_with_the_source_named()
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.OpenStack("{\"uuid\": "));
        using var http = new MetadataHttpClient("openstack", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new OpenStackProvider(root.Root, http).FetchAsync(CancellationToken.None));

        Assert.StartsWith("openstack: GET /openstack/latest/meta_data.json is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_read_cloud_init_instance_data_and_its_merged_ramdax_key()
    {
        using var root = new TempRoot().CopyFixture("metadata/cloud-init-ec2");

        var metadata = await new CloudInitProvider(root.Root).FetchAsync(CancellationToken.None);

        Assert.NotNull(metadata);
        Assert.Equal(("aws", "i-0929128ff2f73a2f1", "m7i.4xlarge", "us-east-1"), (metadata.Cloud, metadata.Id, metadata.Type, metadata.Region));
        var merged = Assert.Single(metadata.Configurations);
        Assert.Equal(("cloud-init combined-cloud-config.json", MetadataConfigurationKind.CloudInitMerged), (merged.Origin, merged.Kind));
        Assert.Contains("/mnt/scratch", merged.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_read_the_instance_data_cloud_init_wrote_on_the_test_guest()
    {
        // Recorded on the end-to-end guest (NoCloud seed, instance-id iid-e2e-0001); see the capture's README.
        using var root = new TempRoot().CopyFixture("captures/qemu-trixie-7.3.4/first-boot");

        var metadata = await new CloudInitProvider(root.Root).FetchAsync(CancellationToken.None);

        Assert.NotNull(metadata);
        Assert.Equal("iid-e2e-0001", metadata.Id);
        Assert.Null(metadata.Type);   // NoCloud has no instance type
    }

    [Fact]
    public async Task Broken_cloud_init_instance_data_is_reported_with_the_file_named()
    {
        using var root = new TempRoot().Write(CloudInitProvider.InstanceDataPath, "{\"v1\": {");

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new CloudInitProvider(root.Root).FetchAsync(CancellationToken.None));

        Assert.StartsWith("cloud-init: /run/cloud-init/instance-data.json is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_read_a_NoCloud_seed()
    {
        using var root = new TempRoot()
            .Write("/var/lib/cloud/seed/nocloud/meta-data", "instance-id: iid-ramdax-01\nlocal-hostname: ramdax-test\n")
            .Write("/var/lib/cloud/seed/nocloud/user-data", "#cloud-config\nramdax:\n  carveout:\n    size: 2G\n");

        var metadata = await new NoCloudProvider(root.Root).FetchAsync(CancellationToken.None);

        Assert.Equal(("nocloud", "iid-ramdax-01"), (metadata?.Cloud, metadata?.Id));
        var userData = Assert.Single(metadata!.Configurations);
        Assert.Equal(("nocloud user-data /var/lib/cloud/seed/nocloud/user-data", MetadataConfigurationKind.UserData), (userData.Origin, userData.Kind));
    }

    [Fact]
    public async Task Invalid_NoCloud_meta_data_is_reported_with_the_file_named()
    {
        using var root = new TempRoot().Write("/var/lib/cloud/seed/nocloud/meta-data", "instance-id: [unclosed\n");

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new NoCloudProvider(root.Root).FetchAsync(CancellationToken.None));

        Assert.StartsWith("nocloud: /var/lib/cloud/seed/nocloud/meta-data is not valid YAML", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "", "7783-7084-3265-9085-8269-3286-77", "", "Azure")]
    [InlineData("Amazon EC2", "m7i.4xlarge", "Amazon EC2", "Amazon EC2", "Aws")]
    [InlineData("Google", "Google Compute Engine", "", "Google", "Gce")]
    [InlineData("OpenStack Foundation", "OpenStack Nova", "", "", "OpenStack")]
    [InlineData("QEMU", "Standard PC (Q35 + ICH9, 2009)", "", "", null)]
    public void The_firmware_names_the_cloud(string sysVendor, string productName, string assetTag, string boardVendor, string? expected) =>
        Assert.Equal(expected, CloudHint.FromDmi(sysVendor, productName, assetTag, boardVendor)?.ToString());
}
