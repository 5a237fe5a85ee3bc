using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Document;

namespace RamDax.Provision.Tests.Configuration.Document;

/// <summary>
/// The document classes are the schema the agent binds configuration keys to (with its
/// source-generated binder): the multi-word keys are named on their properties, so
/// <c>min_os_memory</c> is a key and <c>MinOsMemory</c> is not.
/// </summary>
public sealed class ConfigDocumentTests
{
    [Fact]
    public void The_multi_word_keys_bind_by_their_snake_case_names()
    {
        var document = LayeredConfiguration.Merge([ConfigLayer.FromPairs("test", new Dictionary<string, string?>
        {
            ["carveout:min_os_memory"] = "4G",
            ["carveout:max_ranges"] = "2",
            ["carveout:adopt_foreign_pmem"] = "true",
            ["carveout:placement:min_address"] = "8G",
            ["namespaces:0:name"] = "store",
            ["namespaces:0:filesystem:mkfs_options:0"] = "-K",
            ["metadata:allow_imdsv1"] = "true",
            ["mount_prefixes:0"] = "/srv/ramdax",
            ["metadata_may_set:0"] = "carveout.size",
            ["profiles:Standard_E*:carveout:size"] = "50%",
        })]).Bind();

        Assert.Equal(("4G", "2", "true", "8G"), (document.Carveout!.MinOsMemory, document.Carveout.MaxRanges, document.Carveout.AdoptForeignPmem, document.Carveout.Placement!.MinAddress));
        Assert.Equal("store", Assert.Single(document.Namespaces!).Name);
        Assert.Equal(["-K"], document.Namespaces![0].Filesystem!.MkfsOptions!);
        Assert.Equal("true", document.Metadata!.AllowImdsv1);
        Assert.Equal(["/srv/ramdax"], document.MountPrefixes!);
        Assert.Equal(["carveout.size"], document.MetadataMaySet!);
        Assert.Equal("50%", document.Profiles!["Standard_E*"].Carveout!.Size);
    }

    [Theory]
    [InlineData("carveout:min_os_memory", true)]
    [InlineData("carveout:placement:min_address", true)]
    [InlineData("namespaces:0:device:mode", true)]
    [InlineData("metadata:allow_imdsv1", true)]
    [InlineData("mount_prefixes:0", true)]
    [InlineData("carveout:MinOsMemory", false)]
    [InlineData("metadata:AllowImdsv1", false)]
    [InlineData("MountPrefixes:0", false)]
    [InlineData("carveout:sise", false)]
    [InlineData("namespaces:0:device:path", false)]
    public void A_key_exists_only_as_the_document_names_it(string key, bool known) =>
        Assert.Equal(known, ConfigSchema.IsKnown(key));
}
