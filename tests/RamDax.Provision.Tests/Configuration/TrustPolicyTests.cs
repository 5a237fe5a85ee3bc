using RamDax.Provision.Configuration;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Configuration;

public sealed class TrustPolicyTests : IDisposable
{
    private const string ImageBase = "carveout: {size: 4G}\nnamespaces: [{name: db, size: 1G}]\n";
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private LoadedConfiguration Load(string image, string tag, bool cloudInit = false)
    {
        _root.Write("/etc/ramdax-provision/config.yaml", image);
        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.Read(tag, "azure tag 'ramdax'", errors);
        Assert.Empty(errors);
        var request = new ConfigurationRequest(_root.Root, [], [], []);
        request = cloudInit ? request with { CloudInitLayers = [layer] } : request with { MetadataLayers = [layer] };
        return ConfigurationLoader.Load(request);
    }

    [Theory]
    [InlineData("namespaces: [{name: db, size: 1G, wipe: true}]", "namespaces:0:wipe", "wipe")]
    [InlineData("namespaces: [{name: db, size: 1G, reconfigure: true}]", "namespaces:0:reconfigure", "reconfigure")]
    [InlineData("namespaces: [{name: db, size: 1G, filesystem: {mkfs_options: [-K]}}]", "namespaces:0:filesystem:mkfs_options:0", "mkfs_options")]
    [InlineData("namespaces: [{name: db, size: 1G, mount: {path: /srv/x}}]", "namespaces:0:mount:path", "mount.path")]
    [InlineData("namespaces: [{name: db, size: 1G, mode: devdax, device: {owner: nobody}}]", "namespaces:0:device:owner", "device")]
    [InlineData("bootloader: none", "bootloader", "bootloader")]
    [InlineData("reboot: kexec", "reboot", "reboot")]
    [InlineData("carveout: {adopt_foreign_pmem: true}", "carveout:adopt_foreign_pmem", "carveout.adopt_foreign_pmem")]
    [InlineData("metrics: {textfile: /etc/cron.d/x.prom}", "metrics:textfile", "metrics.textfile")]
    [InlineData("profiles: {'*': {carveout: {adopt_foreign_pmem: yes}}}", "profiles:*:carveout:adopt_foreign_pmem", "carveout.adopt_foreign_pmem")]
    [InlineData("profiles: {'*': {namespaces: [{name: db, size: 1G, wipe: true}]}}", "profiles:*:namespaces:0:wipe", "wipe")]
    public void A_metadata_layer_cannot_set_a_destructive_setting_the_image_does_not_allow(string tag, string key, string name)
    {
        var errors = Assert.Throws<ConfigurationException>(() => Load(ImageBase, tag)).Errors;

        var error = Assert.Single(errors, e => e.Key == key);
        Assert.Contains("azure tag 'ramdax' tried to set", error.Message, StringComparison.Ordinal);
        Assert.Contains($"metadata_may_set: [{name}]", error.Message, StringComparison.Ordinal);
        Assert.Equal("azure tag 'ramdax'", error.Position!.Layer);
        Assert.Equal(1, error.Position.Line);
    }

    [Fact]
    public void The_image_may_let_metadata_adopt_foreign_persistent_memory_by_name()
    {
        var settings = Load(ImageBase + "metadata_may_set: [carveout.adopt_foreign_pmem]\n", "carveout: {adopt_foreign_pmem: true}").Settings;

        Assert.True(settings.Carveout.AdoptForeignPmem);
        Assert.False(Load(ImageBase, "carveout: {size: 8G}").Settings.Carveout.AdoptForeignPmem);
    }

    [Fact]
    public void Cloud_init_user_data_is_held_to_the_same_rule()
    {
        var errors = Assert.Throws<ConfigurationException>(() => Load(ImageBase, "namespaces: [{name: db, size: 1G, wipe: true}]", cloudInit: true)).Errors;

        Assert.Contains(errors, e => e.Key == "namespaces:0:wipe");
    }

    [Fact]
    public void The_image_allows_a_guarded_setting_by_name_and_only_that_one()
    {
        var image = ImageBase + "metadata_may_set: [wipe, mount.path]\n";

        var settings = Load(image, "namespaces: [{name: db, size: 1G, wipe: true, mount: {path: /srv/db}}]").Settings;
        Assert.True(settings.Namespaces[0].Wipe);
        Assert.Equal("/srv/db", settings.Namespaces[0].Mount!.Path);

        var errors = Assert.Throws<ConfigurationException>(() => Load(image, "namespaces: [{name: db, size: 1G, reconfigure: true}]")).Errors;
        Assert.Equal("namespaces:0:reconfigure", Assert.Single(errors).Key);
    }

    [Fact]
    public void Metadata_may_not_widen_its_own_rights_nor_the_mount_prefixes()
    {
        var errors = Assert.Throws<ConfigurationException>(() => Load(ImageBase, "metadata_may_set: [wipe]\nmount_prefixes: [/home/x]")).Errors;

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("only the image's own files", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Ordinary_settings_from_metadata_still_apply()
    {
        var settings = Load(ImageBase, "carveout: {size: 8G}\nnamespaces: [{name: web, size: 2G, mount: {options: [noatime]}}]").Settings;

        Assert.Equal("web", settings.Namespaces.Single().Name);
        Assert.Equal("/mnt/ramdax/web", settings.Namespaces[0].Mount!.Path);
    }

    [Fact]
    public void An_unknown_name_in_metadata_may_set_is_an_error()
    {
        var errors = Assert.Throws<ConfigurationException>(() => Load(ImageBase + "metadata_may_set: [everything]\n", "carveout: {size: 4G}")).Errors;

        Assert.Contains("is not one of: wipe, reconfigure", Assert.Single(errors).Message, StringComparison.Ordinal);
    }
}
