using RamDax.Provision.Configuration.Document;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RamDax.Provision.Tests.Configuration.Document;

/// <summary>
/// The static (reflection-free) YAML context reads every document shape the agent reads: a
/// configuration by its snake_case keys, every scalar kept as the text written, and the NoCloud
/// seed's meta-data by its dashed keys.
/// </summary>
public sealed class ConfigYamlContextTests
{
    private static readonly IDeserializer Documents = new StaticDeserializerBuilder(new ConfigYamlContext())
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    [Fact]
    public void A_whole_configuration_reads_into_the_document_classes_by_its_snake_case_keys()
    {
        var document = Documents.Deserialize<ConfigDocument>("""
            carveout:
              size: 25%
              min_os_memory: 4G
              alignment: 1G
              placement: {min_address: 8G, order: lowest_first, numa: spread}
              max_ranges: 2
              adopt_foreign_pmem: true
            namespaces:
              - name: store
                size: rest
                filesystem: {type: xfs, label: store, mkfs_options: [-K, -m reflink=0]}
                mount: {path: /mnt/ramdax/store, options: [noatime], owner: app, group: staff, mode: 2770}
              - name: vm
                mode: devdax
                size: 8G
                alignment: 1G
                device: {owner: root, group: kvm, mode: 0660}
                wipe: false
                reconfigure: true
            profiles:
              "Standard_E*": {carveout: {size: 50%}, reboot: kexec}
            metadata: {source: azure, endpoint: "http://169.254.169.254", required: true, budget: 30s, allow_imdsv1: false}
            bootloader: grub
            reboot: never
            instance: {id: i-0929128ff2f73a2f1, type: m7i.4xlarge, cloud: aws}
            mount_prefixes: [/srv/ramdax]
            metadata_may_set: [carveout.size]
            """);

        var c = document.Carveout!;
        Assert.Equal(("25%", "4G", "1G", "2", "true"), (c.Size, c.MinOsMemory, c.Alignment, c.MaxRanges, c.AdoptForeignPmem));
        Assert.Equal(("8G", "lowest_first", "spread"), (c.Placement!.MinAddress, c.Placement.Order, c.Placement.Numa));
        var (store, vm) = (document.Namespaces![0], document.Namespaces[1]);
        Assert.Equal(("store", null, "rest"), (store.Name, store.Mode, store.Size));
        Assert.Equal(("xfs", "store"), (store.Filesystem!.Type, store.Filesystem.Label));
        Assert.Equal(["-K", "-m reflink=0"], store.Filesystem.MkfsOptions!);
        Assert.Equal(("/mnt/ramdax/store", "app", "staff", "2770"), (store.Mount!.Path, store.Mount.Owner, store.Mount.Group, store.Mount.Mode));
        Assert.Equal(["noatime"], store.Mount.Options!);
        Assert.Equal(("vm", "devdax", "8G", "1G", "false", "true"), (vm.Name, vm.Mode, vm.Size, vm.Alignment, vm.Wipe, vm.Reconfigure));
        Assert.Equal(("root", "kvm", "0660"), (vm.Device!.Owner, vm.Device.Group, vm.Device.Mode));
        var profile = Assert.Single(document.Profiles!);
        Assert.Equal(("Standard_E*", "50%", "kexec"), (profile.Key, profile.Value.Carveout!.Size, profile.Value.Reboot));
        var m = document.Metadata!;
        Assert.Equal(("azure", "http://169.254.169.254", "true", "30s", "false"), (m.Source, m.Endpoint, m.Required, m.Budget, m.AllowImdsv1));
        Assert.Equal(("grub", "never"), (document.Bootloader, document.Reboot));
        Assert.Equal(("i-0929128ff2f73a2f1", "m7i.4xlarge", "aws"), (document.Instance!.Id, document.Instance.Type, document.Instance.Cloud));
        Assert.Equal(["/srv/ramdax"], document.MountPrefixes!);
        Assert.Equal(["carveout.size"], document.MetadataMaySet!);
    }

    [Theory]
    [InlineData("bootloader: {name: grub}\n")]
    [InlineData("namespaces: {name: a}\n")]
    [InlineData("carveout: [4G]\n")]
    [InlineData("namespaces:\n  - mount: /mnt/a\n")]
    public void A_document_of_the_wrong_shape_is_refused(string yaml) =>
        Assert.ThrowsAny<YamlException>(() => Documents.Deserialize<ConfigDocument>(yaml));

    [Fact]
    public void An_unknown_key_is_refused_unless_the_reader_ignores_it()
    {
        const string Yaml = "carveout: {size: 4G, sise: 8G}\n";
        var lenient = new StaticDeserializerBuilder(new ConfigYamlContext())
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();

        Assert.ThrowsAny<YamlException>(() => Documents.Deserialize<ConfigDocument>(Yaml));
        Assert.Equal("4G", lenient.Deserialize<ConfigDocument>(Yaml).Carveout!.Size);
    }

    [Fact]
    public void NoCloud_meta_data_reads_by_its_dashed_keys()
    {
        var reader = new StaticDeserializerBuilder(new ConfigYamlContext()).IgnoreUnmatchedProperties().Build();

        var metaData = reader.Deserialize<NoCloudMetaData>("instance-id: iid-ramdax-01\nlocal-hostname: ramdax-test\nplatform: qemu\n");

        Assert.Equal(("iid-ramdax-01", "ramdax-test"), (metaData.InstanceId, metaData.LocalHostname));
    }
}
