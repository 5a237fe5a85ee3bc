using RamDax.Provision.Configuration;
using static RamDax.Provision.Tests.Configuration.ConfigurationTestMapping;

namespace RamDax.Provision.Tests.Configuration;

public sealed class MountPathRulesTests
{
    [Theory]
    [InlineData("/mnt/fast", "/mnt/fast")]
    [InlineData("/srv/db/", "/srv/db")]
    [InlineData("/var/lib/postgresql", "/var/lib/postgresql")]
    [InlineData("/media/scratch/a", "/media/scratch/a")]
    [InlineData("/opt/cache", "/opt/cache")]
    [InlineData("/data/x", "/data/x")]
    public void A_plain_path_below_an_allowed_directory_is_kept_without_its_trailing_slash(string path, string expected)
    {
        Assert.Equal(expected, MountPathRules.Check(path, MountPathRules.BuiltInPrefixes, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/", "root filesystem")]
    [InlineData("/.", "'.' or '..'")]
    [InlineData("//", "empty component")]
    [InlineData("//mnt/x", "empty component")]
    [InlineData("/mnt//x", "empty component")]
    [InlineData("/mnt/x/..", "'.' or '..'")]
    [InlineData("/mnt/../etc", "'.' or '..'")]
    [InlineData("/mnt/./x", "'.' or '..'")]
    [InlineData("mnt/x", "absolute path")]
    [InlineData("", "absolute path")]
    [InlineData("/mnt/x\ny", "control characters")]
    [InlineData("/mnt/x\ty", "control characters")]
    [InlineData("/mnt/x\0", "control characters")]
    [InlineData("/etc", "system directory")]
    [InlineData("/boot", "system directory")]
    [InlineData("/dev", "system directory")]
    [InlineData("/proc", "system directory")]
    [InlineData("/sys", "system directory")]
    [InlineData("/run", "system directory")]
    [InlineData("/usr", "system directory")]
    [InlineData("/var", "system directory")]
    [InlineData("/var/lib", "system directory")]
    [InlineData("/root", "system directory")]
    [InlineData("/home", "system directory")]
    [InlineData("/root/.ssh", "not below an allowed directory")]
    [InlineData("/usr/local/data", "not below an allowed directory")]
    [InlineData("/etc/systemd/system", "not below an allowed directory")]
    [InlineData("/var/lib/dpkg/info", "not below an allowed directory")]
    [InlineData("/var/lib/dpkg", "system directory")]
    [InlineData("/mnt", "not below an allowed directory")]
    [InlineData("/srv", "not below an allowed directory")]
    [InlineData("/var/lib/ramdax-provision", "agent keeps its own files")]
    [InlineData("/var/lib/ramdax-provision/x", "agent keeps its own files")]
    [InlineData("/run/ramdax-provision", "agent keeps its own files")]
    [InlineData("/etc/ramdax-provision", "agent keeps its own files")]
    public void A_path_that_is_not_plain_or_covers_the_system_is_refused_with_the_reason(string path, string reason)
    {
        Assert.Null(MountPathRules.Check(path, MountPathRules.BuiltInPrefixes, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_can_add_a_prefix_but_never_a_system_or_agent_directory()
    {
        var settings = Map("mount_prefixes: [/home/fast]\n" + Namespace("mount: {path: /home/fast/a}"));
        Assert.Equal("/home/fast/a", settings.Namespaces[0].Mount!.Path);

        Assert.Null(MountPathRules.CheckPrefix("/data/fast"));
        foreach (var bad in new[] { "/", "/etc", "/var", "/var/lib", "/run/ramdax-provision", "/var/lib/ramdax-provision/sub", "/x/../etc", "rel" })
        {
            Assert.NotNull(MountPathRules.CheckPrefix(bad));
        }

        var error = Assert.Single(Errors("mount_prefixes: [/usr]\n" + Namespace("mount: {path: /mnt/a}")));
        Assert.Equal("mount_prefixes:0", error.Key);
        Assert.Equal(new SourcePosition("test.yaml", 1, 18), error.Position);
    }

    [Fact]
    public void A_refused_mount_path_is_reported_at_its_file_line_and_column()
    {
        var error = Assert.Single(Errors(Namespace("mount: {path: \"/.\"}")));

        Assert.Equal("namespaces:0:mount:path", error.Key);
        Assert.Equal(new SourcePosition("test.yaml", 5, 19), error.Position);
        Assert.StartsWith("test.yaml:5:19: namespaces[0].mount.path: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_mount_inside_another_namespaces_mount_is_refused_naming_both()
    {
        var errors = Errors("""
            carveout: {size: 4G}
            namespaces:
              - {name: outer, size: 1G, mount: {path: /srv/db}}
              - {name: inner, size: 1G, mount: {path: /srv/db/wal}}
              - {name: apart, size: 1G, mount: {path: /srv/dbx}}
            """);

        var error = Assert.Single(errors);
        Assert.Equal("namespaces:1:mount:path", error.Key);
        Assert.Contains("inside the mount path of namespaces[0]", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Position!.Line);
    }
}
