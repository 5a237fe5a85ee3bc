using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Metadata.Providers.Azure;
using RamDax.Provision.Tests.Metadata.Fakes;

namespace RamDax.Provision.Tests.Metadata.Providers.Azure;

public sealed class AzureProviderTests
{
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
}
