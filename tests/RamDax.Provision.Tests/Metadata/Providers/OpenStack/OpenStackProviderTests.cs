using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Metadata.Providers.OpenStack;
using RamDax.Provision.Tests.Metadata.Fakes;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata.Providers.OpenStack;

public sealed class OpenStackProviderTests
{
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
}
