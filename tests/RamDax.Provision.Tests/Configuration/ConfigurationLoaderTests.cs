using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private LoadedConfiguration Load(string[]? configs = null, string[]? sets = null, params (string, string?)[] environment) =>
        ConfigurationLoader.Load(new ConfigurationRequest(
            _root.Root,
            [.. configs ?? []],
            [.. sets ?? []],
            [.. environment.Select(e => new KeyValuePair<string, string?>(e.Item1, e.Item2))]));

    private string File(string name, string text)
    {
        var path = Path.Join(_root.Path, "..", Path.GetFileName(_root.Path) + "-" + name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void With_no_configuration_nothing_is_carved_and_defaults_apply()
    {
        var settings = Load().Settings;

        Assert.Null(settings.Carveout.Size);
        Assert.Equal(1UL << 30, settings.Carveout.Alignment);
        Assert.Equal(4UL << 30, settings.Carveout.MinAddress);
        Assert.Equal(4, settings.Carveout.MaxRanges);
        Assert.Equal(PlacementOrder.HighestFirst, settings.Carveout.Order);
        Assert.Empty(settings.Namespaces);
    }

    [Fact]
    public void Later_layers_win_in_the_documented_order()
    {
        _root.Write("/etc/ramdax-provision/config.yaml", "carveout:\n  size: 8G\n  min_os_memory: 1G\n  max_ranges: 2\nreboot: never\n");
        _root.Write("/etc/ramdax-provision/config.d/20-b.yaml", "carveout:\n  min_os_memory: 3G\n");
        _root.Write("/etc/ramdax-provision/config.d/10-a.yaml", "carveout:\n  min_os_memory: 2G\n  max_ranges: 3\n");
        var extra = File("extra.yaml", "carveout:\n  size: 16G\n");

        var loaded = Load([extra], ["carveout.alignment=2G"], ("carveout:size", "12G"), ("carveout:max_ranges", "5"));

        Assert.Equal(16UL << 30, ((SizeRequest.Absolute)loaded.Settings.Carveout.Size!).Bytes);   // --config beats environment
        Assert.Equal(3UL << 30, loaded.Settings.Carveout.MinOsMemory);                           // config.d in name order
        Assert.Equal(5, loaded.Settings.Carveout.MaxRanges);                                     // environment beats image files
        Assert.Equal(2UL << 30, loaded.Settings.Carveout.Alignment);                             // --set beats everything
        Assert.Equal(RebootMode.Never, loaded.Settings.Reboot);
        Assert.Equal("environment", loaded.Layers.Where("carveout:max_ranges")!.Layer);
        Assert.Equal(new SourcePosition("/etc/ramdax-provision/config.d/20-b.yaml", 2, 18), loaded.Layers.Where("carveout:min_os_memory"));
    }

    [Fact]
    public void A_later_file_replaces_the_namespace_list_instead_of_merging_it()
    {
        _root.Write("/etc/ramdax-provision/config.yaml",
            "carveout: {size: 8G}\nnamespaces:\n  - {name: a, size: 1G}\n  - {name: b, size: 1G, mount: {path: /b, options: [noatime]}}\n");
        var extra = File("replace.yaml", "namespaces:\n  - {name: only, size: rest}\n");

        var settings = Load([extra]).Settings;

        Assert.Equal("only", Assert.Single(settings.Namespaces).Name);
        Assert.Empty(settings.Namespaces[0].Mount!.Options);
    }

    [Fact]
    public void Set_patches_one_element_of_a_list()
    {
        _root.Write("/etc/ramdax-provision/config.yaml", "carveout: {size: 8G}\nnamespaces:\n  - {name: a, size: 1G}\n  - {name: b, size: rest}\n");

        var settings = Load(sets: ["namespaces[0].size=2G"]).Settings;

        Assert.Equal(2, settings.Namespaces.Length);
        Assert.Equal(2UL << 30, ((SizeRequest.Absolute)settings.Namespaces[0].Size).Bytes);
    }

    [Fact]
    public void The_instance_type_selects_its_profile_below_the_command_line()
    {
        _root.Write("/etc/ramdax-provision/config.yaml",
            "carveout: {size: 8G}\nprofiles:\n  m7i.4xlarge:\n    carveout: {size: 32G}\n  'm7i.*':\n    carveout: {size: 16G, min_os_memory: 5G}\n");

        var exact = Load(sets: ["instance.type=m7i.4xlarge"]);
        var glob = Load(sets: ["instance.type=m7i.8xlarge"]);
        var overridden = Load(sets: ["instance.type=m7i.8xlarge", "carveout.size=4G"]);
        var none = Load(sets: ["instance.type=c7g.large"]);

        Assert.Equal("m7i.4xlarge", exact.Profile);
        Assert.Equal(32UL << 30, ((SizeRequest.Absolute)exact.Settings.Carveout.Size!).Bytes);
        Assert.Equal("m7i.*", glob.Profile);
        Assert.Equal(16UL << 30, ((SizeRequest.Absolute)glob.Settings.Carveout.Size!).Bytes);
        Assert.Equal(5UL << 30, glob.Settings.Carveout.MinOsMemory);
        Assert.Equal(4UL << 30, ((SizeRequest.Absolute)overridden.Settings.Carveout.Size!).Bytes);
        Assert.Null(none.Profile);
        Assert.Equal(8UL << 30, ((SizeRequest.Absolute)none.Settings.Carveout.Size!).Bytes);
        Assert.Equal(new SourcePosition("profile 'm7i.*' in /etc/ramdax-provision/config.yaml", 6, 22), glob.Layers.Where("carveout:size"));
    }

    [Fact]
    public void Every_unknown_key_is_reported_with_its_place_not_only_the_first()
    {
        _root.Write("/etc/ramdax-provision/config.yaml", "carveout:\n  size: 2G\n  sise: 8G\nnamespaces:\n  - name: a\n    size: 1G\n    moutn: {path: /a}\n");

        var e = Assert.Throws<ConfigurationException>(() => Load(sets: ["carveout.colour=blue"], environment: ("bootlader", "grub")));

        Assert.Equal(4, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.Key == "carveout:sise" && x.Position == new SourcePosition("/etc/ramdax-provision/config.yaml", 3, 9));
        Assert.Contains(e.Errors, x => x.Key == "namespaces:0:moutn:path" && x.Position!.Line == 7);
        Assert.Contains(e.Errors, x => x.Key == "carveout:colour" && x.Position!.Layer == "--set");
        Assert.Contains(e.Errors, x => x.Key == "bootlader" && x.Position!.Layer == "environment");
        Assert.Equal(65, e.ExitCode);
    }

    [Fact]
    public void A_profile_cannot_set_metadata()
    {
        _root.Write("/etc/ramdax-provision/config.yaml", "profiles:\n  big:\n    metadata: {source: aws}\n");

        var e = Assert.Throws<ConfigurationException>(() => Load());

        Assert.Contains("a profile cannot set 'metadata'", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_without_equals_sign_is_an_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(sets: ["carveout.size"]));
        Assert.Contains("not key=value", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cloud_config_given_with_config_contributes_its_ramdax_key()
    {
        var userData = File("user-data", "#cloud-config\nruncmd: [true]\nramdax:\n  carveout:\n    size: 50%\n");

        var loaded = Load([userData]);

        Assert.Equal(50m, ((SizeRequest.Share)loaded.Settings.Carveout.Size!).Percent);
    }

    [Fact]
    public void Environment_variables_with_the_prefix_become_keys()
    {
        // The one test that reads the real process environment; the variable name is unique to it.
        Environment.SetEnvironmentVariable("RAMDAX_PROVISION__CARVEOUT__MIN_OS_MEMORY", "7G");
        try
        {
            var loaded = ConfigurationLoader.Load(new ConfigurationRequest(_root.Root, [], []));
            Assert.Equal(7UL << 30, loaded.Settings.Carveout.MinOsMemory);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RAMDAX_PROVISION__CARVEOUT__MIN_OS_MEMORY", null);
        }
    }
}
