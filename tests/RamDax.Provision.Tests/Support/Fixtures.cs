namespace RamDax.Provision.Tests.Support;

/// <summary>The one locator of fixtures: the recorded captures, fixture roots, machines and upstream files under <c>tests/fixtures</c>.</summary>
public static class Fixtures
{
    public static string Directory { get; } = Path.Join(Repository.Top, "tests", "fixtures");

    /// <summary>The path of anything under <c>tests/fixtures</c>: <c>machines/dell-r7425</c>.</summary>
    public static string PathTo(string relative) => Path.Join(Directory, relative);

    public static string Root(string name) => Path.Join(Directory, "roots", name);

    public static string Capture(string relative) => Path.Join(Directory, "captures", relative);

    /// <summary>A capture file's text: <c>upstream/rhel8-bls-entry.conf</c>.</summary>
    public static string Read(string relative) => File.ReadAllText(Capture(relative));

    /// <summary>A file of the QEMU guest's captures: <c>first-boot-create/blkid-ext4.txt</c>.</summary>
    public static string Qemu(string relative) => Read(Path.Join("qemu-debian13-7.3.4-memmap2G", relative));

    /// <summary>A file of the host captures (loop devices, xfsprogs 6.1).</summary>
    public static string Host(string relative) => Read(Path.Join("host-loop-xfsprogs-6.1", relative));

    /// <summary>A constructed input (what no machine here could produce), under <c>tests/fixtures/constructed</c>.</summary>
    public static string Constructed(string relative) => File.ReadAllText(Path.Join(Directory, "constructed", relative));
}
