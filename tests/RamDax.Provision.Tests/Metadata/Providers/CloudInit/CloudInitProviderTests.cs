using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Providers.CloudInit;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata.Providers.CloudInit;

public sealed class CloudInitProviderTests
{
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
}
