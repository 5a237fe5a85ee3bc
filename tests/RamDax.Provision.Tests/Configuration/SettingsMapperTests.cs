using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Tests.Configuration;

public sealed class SettingsMapperTests
{
    private static ProvisionSettings Map(string yaml)
    {
        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.Read(yaml, "test.yaml", errors);
        ConfigSchema.CheckKeys(layer, errors);
        return SettingsMapper.Map(LayeredConfiguration.Merge([layer]), errors);
    }

    private static IReadOnlyList<ConfigError> Errors(string yaml) =>
        Assert.Throws<ConfigurationException>(() => Map(yaml)).Errors;

    [Fact]
    public void A_full_configuration_maps_to_settings()
    {
        var settings = Map("""
            carveout:
              size: 64G
              min_os_memory: 8G
              alignment: 1G
              placement: {min_address: 8G, order: lowest_first, numa: spread}
              max_ranges: 6
              adopt_foreign_pmem: true
            namespaces:
              - name: db
                size: 32G
                filesystem: {type: xfs, label: db, mkfs_options: [-K]}
                mount: {path: /srv/db/, options: [noatime], owner: postgres, group: postgres, mode: "0750"}
              - name: vm
                mode: devdax
                size: rest
                alignment: 1G
                device: {owner: qemu, group: kvm, mode: "660"}
                wipe: true
            bootloader: kernel-install
            reboot: kexec
            metadata: {source: cloud-init, required: yes, budget: 500ms, endpoint: "http://127.0.0.1:9"}
            """);

        Assert.Equal(new SizeRequest.Absolute(64UL << 30), settings.Carveout.Size);
        Assert.True(settings.Carveout.SpreadAcrossNumaNodes);
        Assert.Equal(PlacementOrder.LowestFirst, settings.Carveout.Order);
        Assert.Equal(8UL << 30, settings.Carveout.MinAddress);
        Assert.True(settings.Carveout.AdoptForeignPmem);
        var db = settings.Namespaces[0];
        Assert.Equal(FilesystemType.Xfs, db.Filesystem!.Type);
        Assert.Equal("/srv/db", db.Mount!.Path);
        Assert.Equal<string>(["-K"], db.Filesystem.MkfsOptions);
        var vm = settings.Namespaces[1];
        Assert.Equal(NamespaceMode.Devdax, vm.Mode);
        Assert.Equal(new DeviceAccessSettings("qemu", "kvm", "0660"), vm.Device);
        Assert.True(vm.Wipe);
        Assert.Null(vm.Mount);
        Assert.Equal(BootloaderKind.KernelInstall, settings.Bootloader);
        Assert.Equal(RebootMode.Kexec, settings.Reboot);
        Assert.Equal(MetadataSource.CloudInit, settings.Metadata.Source);
        Assert.True(settings.Metadata.Required);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Metadata.Budget);
    }

    [Fact]
    public void An_fsdax_namespace_gets_ext4_named_after_it_and_a_mount_below_mnt_ramdax()
    {
        var ns = Map("carveout: {size: 4G}\nnamespaces: [{name: scratch, size: rest}]\n").Namespaces.Single();

        Assert.Equal(new FilesystemSettings(FilesystemType.Ext4, "scratch", []), ns.Filesystem! with { MkfsOptions = [] });
        Assert.Equal("/mnt/ramdax/scratch", ns.Mount!.Path);
        Assert.Equal(2UL << 20, ns.Alignment);
    }

    [Theory]
    [InlineData("carveout: {size: 64GB}", "carveout.size", "decimal unit")]
    [InlineData("carveout: {size: 99999999999P}", "carveout.size", "too large")]
    [InlineData("carveout: {size: 1500M}", "carveout.size", "not a multiple of carveout.alignment (1G); use 1G or 2G")]
    [InlineData("carveout: {size: 4G, alignment: 8M}", "carveout.alignment", "at least 16M")]
    [InlineData("carveout: {size: 4G, alignment: 3G}", "carveout.alignment", "power of two")]
    [InlineData("carveout: {size: 4G, max_ranges: many}", "carveout.max_ranges", "not a whole number")]
    [InlineData("carveout: {size: 4G, max_ranges: 0}", "carveout.max_ranges", "between 1 and 32")]
    [InlineData("carveout: {size: 4G, adopt_foreign_pmem: sometimes}", "carveout.adopt_foreign_pmem", "not true or false")]
    [InlineData("carveout: {size: 4G, placement: {order: random}}", "carveout.placement.order", "highest_first, lowest_first")]
    [InlineData("carveout: {size: 4G, placement: {numa: interleave}}", "carveout.placement.numa", "none, spread")]
    [InlineData("reboot: sometimes", "reboot", "auto, never, kexec")]
    [InlineData("metadata: {budget: soon}", "metadata.budget", "not a duration")]
    [InlineData("metadata: {endpoint: 'ftp://x'}", "metadata.endpoint", "http://")]
    [InlineData("metadata: {required: maybe}", "metadata.required", "not true or false")]
    [InlineData("namespaces: [{name: a, size: 1G}]", "namespaces", "no carve-out holds them")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a}]", "namespaces[0]", "needs a size")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{size: 1G}]", "namespaces[0]", "needs a name")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: 'a b', size: 1G}]", "namespaces[0].name", "letters, digits")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, mode: pmem}]", "namespaces[0].mode", "fsdax, devdax")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, alignment: 4M}]", "namespaces[0].alignment", "4K, 2M or 1G")]
    [InlineData("carveout: {size: 4G, alignment: 256M}\nnamespaces: [{name: a, size: 2G, alignment: 1G}]", "namespaces[0].alignment", "carveout.alignment of at least 1G")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, mode: devdax, alignment: 1G}]", "namespaces[0].size", "at least 2G")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, mode: devdax, mount: {path: /a}}]", "namespaces[0].mount", "no filesystem or mount")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, device: {mode: '0600'}}]", "namespaces[0].device", "for devdax namespaces")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, filesystem: {type: btrfs}}]", "namespaces[0].filesystem.type", "ext4, xfs")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, filesystem: {type: xfs, label: thirteenchars}}]", "namespaces[0].filesystem.label", "longer than 12 bytes")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: seventeen-letters, size: 1G}]", "namespaces[0].name", "longer than 16 bytes")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, mount: {path: relative}}]", "namespaces[0].mount.path", "absolute path")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, mount: {options: [dax=never]}}]", "namespaces[0].mount.options[0]", "contradicts")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, mount: {mode: rwx}}]", "namespaces[0].mount.mode", "octal mode")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, mount: {owner: 'Not A User'}}]", "namespaces[0].mount.owner", "user or group")]
    [InlineData("carveout: {size: 4G}\nnamespaces: [{name: a, size: 1G, wipe: please}]", "namespaces[0].wipe", "not true or false")]
    public void Each_invalid_value_is_an_error_naming_its_key_and_what_to_do(string yaml, string key, string message)
    {
        var error = Assert.Single(Errors(yaml));

        Assert.Equal(key, ConfigKey.Display(error.Key!));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("test.yaml", error.Position!.Layer);
        Assert.True(error.Position.Line > 0);
    }

    [Fact]
    public void Duplicate_names_and_mount_paths_are_errors_naming_both_places()
    {
        var errors = Errors("""
            carveout: {size: 8G}
            namespaces:
              - {name: a, size: 1G, mount: {path: /data/a}}
              - {name: a, size: 1G, mount: {path: /data/a/}}
            """);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Key == "namespaces:1:name" && e.Message.Contains("namespaces[0]", StringComparison.Ordinal) && e.Position!.Line == 4);
        Assert.Contains(errors, e => e.Key == "namespaces:1:mount:path" && e.Message.Contains("mount paths must be unique", StringComparison.Ordinal));
    }

    [Fact]
    public void All_errors_of_a_file_are_reported_together()
    {
        var errors = Errors("""
            carveout: {size: 12Q, min_os_memory: lots}
            reboot: maybe
            namespaces:
              - {name: x, size: 1G, mode: tape}
            """);

        Assert.Equal(4, errors.Count);
        Assert.Equal([1, 1, 2, 4], errors.Select(e => e.Position!.Line));
    }

    [Fact]
    public void An_error_prints_as_file_line_column_key_and_message()
    {
        var error = Errors("carveout:\n  size: 10X\n").Single();

        Assert.Equal("test.yaml:2:9: carveout.size: '10X' has an unknown unit 'X'; use K, M, G, T or P", error.ToString());
    }

    [Fact]
    public void The_metrics_textfile_is_node_exporter_s_debian_directory_unless_configured()
    {
        Assert.Equal(MetricsSettings.DefaultTextfile, Map("carveout: {size: 4G}\n").Metrics.Textfile);
        Assert.Equal("/var/lib/node_exporter/textfile_collector/ramdax.prom", Map("metrics: {textfile: /var/lib/node_exporter/textfile_collector/ramdax.prom}\n").Metrics.Textfile);
    }

    [Theory]
    [InlineData("relative/ramdax.prom", "is not an absolute path")]
    [InlineData("/var/lib/x/../y/ramdax.prom", "'.' or '..' component")]
    [InlineData("/var/lib//ramdax.prom", "empty component")]
    [InlineData("/var/lib/x\ty.prom", "control characters")]
    [InlineData("/var/lib/node-exporter/ramdax.txt", "does not end in .prom")]
    [InlineData("/proc/sys/kernel/x.prom", "system directory")]
    public void A_metrics_textfile_that_node_exporter_cannot_read_or_that_is_not_a_plain_path_is_refused(string path, string problem)
    {
        var error = Assert.Single(Errors($"metrics: {{textfile: '{path}'}}\n"));

        Assert.Equal("metrics:textfile", error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Position!.Line);
    }

    [Fact]
    public void A_profile_cannot_set_the_metrics_textfile()
    {
        var error = Assert.Single(Errors("profiles: {'*': {metrics: {textfile: /x/y.prom}}}\n"));

        Assert.Contains("a profile cannot set 'metrics'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    public void A_namespace_may_name_its_numa_node(string node, int expected) =>
        Assert.Equal(expected, Map($"carveout: {{size: 4G}}\nnamespaces: [{{name: a, size: 1G, numa_node: {node}}}]\n").Namespaces.Single().NumaNode);

    [Theory]
    [InlineData("-1", "is not a NUMA node")]
    [InlineData("socket0", "is not a NUMA node")]
    [InlineData("Each", "or write 'each' for one namespace on every node")]
    [InlineData("1024", "Linux numbers them from 0 to at most 1023")]
    public void A_numa_node_that_is_not_one_is_refused(string node, string problem)
    {
        var error = Assert.Single(Errors($"carveout: {{size: 4G}}\nnamespaces: [{{name: a, size: 1G, numa_node: '{node}'}}]\n"));

        Assert.Equal("namespaces:0:numa_node", error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numa_node_each_asks_for_one_namespace_on_every_node()
    {
        var ns = Map("carveout: {size: 4G, placement: {numa: spread}}\nnamespaces: [{name: vm, mode: devdax, size: rest, numa_node: each}]\n").Namespaces.Single();

        Assert.True(ns.OnEachNode);
        Assert.Null(ns.NumaNode);
    }

    [Fact]
    public void Numa_node_each_without_spread_is_refused_saying_what_to_set()
    {
        var error = Assert.Single(Errors("carveout: {size: 4G}\nnamespaces: [{name: vm, size: rest, numa_node: each}]\n"));

        Assert.Equal("namespaces:0:numa_node", error.Key);
        Assert.Contains("set carveout.placement.numa: spread", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{name: guests1, size: rest, filesystem: {type: xfs}, numa_node: each}", "namespaces:0:name", "'guests1-node0', ...; that is longer than 12 bytes")]
    [InlineData("{name: a, size: rest, filesystem: {label: scratch-store, type: ext4}, numa_node: each}", "namespaces:0:filesystem:label", "'scratch-store-node0', ...; that is longer than 16 bytes")]
    [InlineData("{name: a123456789a123456789a123456789a123456789a123456789a1234567, size: rest, mode: devdax, numa_node: each}", "namespaces:0:name", "longer than 63 characters")]
    public void Numa_node_each_refuses_a_name_or_label_that_its_node_suffix_makes_too_long(string entry, string key, string problem)
    {
        var error = Assert.Single(Errors($"carveout: {{size: 4G, placement: {{numa: spread}}}}\nnamespaces: [{entry}]\n"));

        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
