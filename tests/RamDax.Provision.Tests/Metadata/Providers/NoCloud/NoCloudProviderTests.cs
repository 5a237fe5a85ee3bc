using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Providers.NoCloud;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata.Providers.NoCloud;

public sealed class NoCloudProviderTests
{
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
}
