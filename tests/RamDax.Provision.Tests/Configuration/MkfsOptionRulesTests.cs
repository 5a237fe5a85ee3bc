using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using static RamDax.Provision.Tests.Configuration.ConfigurationTestMapping;

namespace RamDax.Provision.Tests.Configuration;

public sealed class MkfsOptionRulesTests
{
    [Theory]
    [InlineData("ext4", new[] { "-K" })]
    [InlineData("ext4", new[] { "-b", "4096", "-m", "0", "-E", "lazy_itable_init=0,nodiscard", "-J", "size=64", "-O", "^has_journal,metadata_csum" })]
    [InlineData("ext4", new[] { "-b4096", "-T", "largefile", "-U", "clear", "-j", "-e", "remount-ro" })]
    [InlineData("xfs", new[] { "-K", "-m", "crc=1,reflink=0", "-b", "size=4096", "-l", "size=64m,lazy-count=1", "-i", "size=512", "-n", "ftype=1" })]
    [InlineData("xfs", new[] { "-dagcount=4", "-s", "size=4096" })]
    public void Options_that_keep_a_DAX_filesystem_on_its_own_device_are_accepted(string type, string[] options)
    {
        Assert.Empty(MkfsOptionRules.Check(Type(type), options));
    }

    [Theory]
    [InlineData("xfs", new[] { "-l", "logdev=/dev/sda,size=64m" }, 1, "'logdev' is not allowed")]
    [InlineData("xfs", new[] { "-llogdev=/dev/sda" }, 0, "'logdev' is not allowed")]
    [InlineData("xfs", new[] { "-l", "internal=0" }, 1, "must stay internal")]
    [InlineData("xfs", new[] { "-r", "rtdev=/dev/sdb" }, 0, "-r is not one of")]
    [InlineData("xfs", new[] { "-d", "file,name=/var/x.img" }, 1, "'file' is not allowed")]
    [InlineData("xfs", new[] { "-m", "reflink=1" }, 1, "reflink")]
    [InlineData("xfs", new[] { "-b", "size=1024" }, 1, "4096")]
    [InlineData("xfs", new[] { "-p", "/etc/proto" }, 0, "-p is not one of")]
    [InlineData("xfs", new[] { "-f" }, 0, "-f is not one of")]
    [InlineData("xfs", new[] { "-N" }, 0, "-N is not one of")]
    [InlineData("ext4", new[] { "-J", "device=/dev/sdb" }, 1, "'device' is not allowed")]
    [InlineData("ext4", new[] { "-b", "1024" }, 1, "4096")]
    [InlineData("ext4", new[] { "-O", "inline_data" }, 1, "cannot be used with DAX")]
    [InlineData("ext4", new[] { "-O", "journal_dev" }, 1, "external journal")]
    [InlineData("ext4", new[] { "-E", "offset=4096" }, 1, "'offset' is not allowed")]
    [InlineData("ext4", new[] { "-d", "/root" }, 0, "-d is not one of")]
    [InlineData("ext4", new[] { "-z", "/tmp/undo" }, 0, "-z is not one of")]
    [InlineData("ext4", new[] { "-l", "/tmp/badblocks" }, 0, "-l is not one of")]
    [InlineData("ext4", new[] { "-F" }, 0, "-F is not one of")]
    [InlineData("ext4", new[] { "-L", "other" }, 0, "filesystem.label")]
    [InlineData("ext4", new[] { "/dev/sda" }, 0, "positional")]
    [InlineData("ext4", new[] { "--", "/dev/sda" }, 0, "'--'")]
    [InlineData("ext4", new[] { "--journal-device" }, 0, "long options")]
    [InlineData("ext4", new[] { "-q\n/dev/sda" }, 0, "control characters")]
    [InlineData("ext4", new[] { "-b 1024" }, 0, "own list item")]
    [InlineData("ext4", new[] { "-qF" }, 0, "one option per item")]
    [InlineData("ext4", new[] { "-b" }, 0, "needs a value")]
    [InlineData("ext4", new[] { "-m", "5%" }, 1, "whole number")]
    public void Options_that_name_another_device_or_file_or_break_DAX_are_refused(string type, string[] options, int index, string reason)
    {
        var (at, message) = Assert.Single(MkfsOptionRules.Check(Type(type), options));

        Assert.Equal(index, at);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_mkfs_option_is_reported_at_its_list_item()
    {
        var error = Assert.Single(Errors(Namespace("filesystem: {type: xfs, mkfs_options: [-K, -l, \"logdev=/dev/sda,size=64m\"]}")));

        Assert.Equal("namespaces:0:filesystem:mkfs_options:2", error.Key);
        Assert.Equal(5, error.Position!.Line);
        Assert.Equal("test.yaml", error.Position.Layer);
    }

    [Theory]
    [InlineData("filesystem: {label: ''}", "namespaces[0].filesystem.label", "non-empty")]
    [InlineData("filesystem: {label: '  '}", "namespaces[0].filesystem.label", "non-empty")]
    [InlineData("filesystem: {label: \"a\\nb\"}", "namespaces[0].filesystem.label", "control characters")]
    [InlineData("filesystem: {label: \"a\\0\"}", "namespaces[0].filesystem.label", "control characters")]
    [InlineData("mount: {options: ['dax = never']}", "namespaces[0].mount.options[0]", "without spaces")]
    [InlineData("mount: {options: [DAX=NEVER]}", "namespaces[0].mount.options[0]", "contradicts")]
    [InlineData("mount: {options: [dax=inode]}", "namespaces[0].mount.options[0]", "contradicts")]
    [InlineData("mount: {options: [NoDax]}", "namespaces[0].mount.options[0]", "contradicts")]
    [InlineData("mount: {options: [noatime, Remount]}", "namespaces[0].mount.options[1]", "contradicts")]
    [InlineData("mount: {options: ['noatime,dax=never']}", "namespaces[0].mount.options[0]", "comma")]
    [InlineData("mount: {options: ['']}", "namespaces[0].mount.options[0]", "non-empty")]
    [InlineData("mount: {options: [\"ro\\n\"]}", "namespaces[0].mount.options[0]", "control characters")]
    public void Labels_and_mount_options_are_one_plain_word_that_keeps_DAX(string inner, string key, string reason)
    {
        var error = Assert.Single(Errors(Namespace(inner)));

        Assert.Equal(key, ConfigKey.Display(error.Key!));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(5, error.Position!.Line);
    }

    [Fact]
    public void Dax_always_and_ordinary_mount_options_are_kept()
    {
        var ns = Map(Namespace("mount: {options: [noatime, dax=always, lazytime]}")).Namespaces[0];

        Assert.Equal<string>(["noatime", "dax=always", "lazytime"], ns.Mount!.Options);
    }

    private static FilesystemType Type(string name) => name == "xfs" ? FilesystemType.Xfs : FilesystemType.Ext4;
}
