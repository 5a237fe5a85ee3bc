using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Metadata.Providers.Gce;
using RamDax.Provision.Tests.Metadata.Fakes;

namespace RamDax.Provision.Tests.Metadata.Providers.Gce;

public sealed class GceProviderTests
{
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
}
