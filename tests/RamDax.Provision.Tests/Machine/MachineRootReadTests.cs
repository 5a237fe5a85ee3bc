using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Machine;

/// <summary>
/// Under <c>--root</c> a symbolic link in the image is read as the image means it: an absolute
/// target is the image's own path, <c>..</c> stops at the root, so <c>plan --root IMAGE</c> never
/// reads the build host's files. The "host" is a second temp directory the links point at.
/// </summary>
public sealed class MachineRootReadTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly TempRoot _host = new("ramdax-host-");

    public MachineRootReadTests() => File.WriteAllText(Path.Join(_host.Path, "config.yaml"), "carveout:\n  size: 64G\n");

    public void Dispose()
    {
        _root.Dispose();
        _host.Dispose();
    }

    [Fact]
    public void A_link_to_an_absolute_host_path_reads_the_images_file_of_that_name()
    {
        Link("/etc/ramdax-provision/config.yaml", Path.Join(_host.Path, "config.yaml"));

        Assert.Null(_root.Root.TryReadText("/etc/ramdax-provision/config.yaml"));
        Assert.False(_root.Root.FileExists("/etc/ramdax-provision/config.yaml"));

        _root.Write(Path.Join(_host.Path, "config.yaml"), "carveout:\n  size: 2G\n"); // the image's own file at that path
        Assert.Equal("carveout:\n  size: 2G\n", _root.Root.ReadText("/etc/ramdax-provision/config.yaml"));
    }

    [Fact]
    public void Dot_dot_in_a_link_stops_at_the_root()
    {
        Link("/etc/ramdax-provision/config.d", "../../../../../../../.." + _host.Path);

        Assert.False(_root.Root.DirectoryExists("/etc/ramdax-provision/config.d"));
        Assert.Null(_root.Root.TryReadText("/etc/ramdax-provision/config.d/config.yaml"));
    }

    [Fact]
    public void A_relative_link_inside_the_image_is_followed()
    {
        _root.Write("/usr/lib/os-release", "ID=debian\n");
        Link("/etc/os-release", "../usr/lib/os-release");

        Assert.Equal("ID=debian\n", _root.Root.ReadText("/etc/os-release"));
    }

    [Fact]
    public void The_configuration_of_an_image_whose_file_links_to_the_host_is_the_images()
    {
        Link("/etc/ramdax-provision/config.yaml", Path.Join(_host.Path, "config.yaml"));

        var missing = ConfigurationLoader.Load(new ConfigurationRequest(_root.Root, [], [], [])).Settings;
        _root.Write(Path.Join(_host.Path, "config.yaml"), "carveout:\n  size: 2G\n"); // the image's own file at that path
        var images = ConfigurationLoader.Load(new ConfigurationRequest(_root.Root, [], [], [])).Settings;

        Assert.Null(missing.Carveout.Size);
        Assert.Equal(2UL << 30, ((RamDax.Provision.Configuration.Settings.SizeRequest.Absolute)images.Carveout.Size!).Bytes);
    }

    [Fact]
    public void A_link_loop_is_a_read_error_naming_the_path_and_a_missing_file_to_the_probes()
    {
        Link("/etc/a", "/etc/b");
        Link("/etc/b", "/etc/a");

        var e = Assert.Throws<MachineReadException>(() => _root.Root.TryReadText("/etc/a"));

        Assert.Contains(_root.Root.Resolve("/etc/a"), e.Message, StringComparison.Ordinal);
        Assert.Contains("a link loop?", e.Message, StringComparison.Ordinal);
        Assert.False(_root.Root.Exists("/etc/a"));
    }

    [Fact]
    public void On_the_host_root_a_path_is_read_as_it_is()
    {
        Assert.Equal("/etc/os-release", MachineRoot.Host.ResolveForRead("/etc/os-release"));
    }

    private void Link(string absolute, string target)
    {
        var path = _root.Root.Resolve(absolute);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }
}
