using System.Globalization;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Tests.Support;

/// <summary>
/// The one throw-away directory of the tests: a machine root that stands for / (or any scratch
/// directory), deleted when disposed. The shaped roots (<see cref="GrubTestRoot"/>, the every-boot
/// tests' <c>FakeMachine</c>) are built in one.
/// </summary>
public sealed class TempRoot : IDisposable
{
    /// <param name="prefix">The directory name's start, which tells a leftover directory's test.</param>
    public TempRoot(string prefix = "ramdax-root-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public MachineRoot Root => new(Path);

    /// <summary>Writes <paramref name="text"/> at <paramref name="absolute"/> below the root.</summary>
    public TempRoot Write(string absolute, string text)
    {
        var path = Root.Resolve(absolute);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    /// <summary>Copies a fixture tree (relative to <c>tests/fixtures</c>) into the root.</summary>
    public TempRoot CopyFixture(string relative)
    {
        var source = Fixtures.PathTo(relative);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Join(Path, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return this;
    }

    /// <summary>
    /// Copies a sysfs capture of <c>capture_nd_sysfs</c> (relative to <c>tests/fixtures/captures</c>)
    /// to <paramref name="absolute"/> below the root: files as they are, and each <c>NAME.link</c>
    /// file as the symlink NAME it stood for (unless a directory of that name holds the device's
    /// attributes, as for the links of <c>/sys/bus/nd/devices</c> itself).
    /// </summary>
    public TempRoot CopySysfsCapture(string relative, string absolute)
    {
        var source = Fixtures.Capture(relative);
        var destination = Root.Resolve(absolute);
        // Files first, so that a device's directory exists before its .link is looked at.
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).ToLookup(f => f.EndsWith(".link", StringComparison.Ordinal));
        foreach (var file in files[false])
        {
            var target = System.IO.Path.Join(destination, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        foreach (var file in files[true])
        {
            var link = System.IO.Path.Join(destination, System.IO.Path.GetRelativePath(source, file))[..^".link".Length];
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(link)!);
            if (!Directory.Exists(link))
            {
                File.CreateSymbolicLink(link, File.ReadAllText(file).TrimEnd('\n'));
            }
        }

        return this;
    }

    /// <summary>Lays out a whole machine: firmware map, command line, kernel with or without ramdax.</summary>
    public TempRoot Machine(IEnumerable<(ulong Start, ulong EndInclusive, string Type)> memmap, string cmdline = "BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro", bool ramdax = true, string release = "7.3.4+deb13-amd64")
    {
        var i = 0;
        foreach (var (start, end, type) in memmap)
        {
            var n = i++.ToString(CultureInfo.InvariantCulture);
            Write($"/sys/firmware/memmap/{n}/start", $"0x{start:x}\n");
            Write($"/sys/firmware/memmap/{n}/end", $"0x{end:x}\n");
            Write($"/sys/firmware/memmap/{n}/type", type + "\n");
        }

        Write("/proc/cmdline", cmdline + "\n");
        Write("/proc/sys/kernel/osrelease", release + "\n");
        Write($"/lib/modules/{release}/modules.builtin", "kernel/drivers/block/loop.ko\n");
        if (ramdax)
        {
            Write($"/lib/modules/{release}/kernel/drivers/nvdimm/ramdax.ko.xz", "");
        }

        return this;
    }

    /// <summary>The QEMU -m 6G map as captured on the test guest.</summary>
    public static readonly (ulong, ulong, string)[] Qemu6G =
    [
        (0x0, 0x9fbff, "System RAM"),
        (0x9fc00, 0x9ffff, "Reserved"),
        (0xf0000, 0xfffff, "Reserved"),
        (0x100000, 0xbffdcfff, "System RAM"),
        (0xbffdd000, 0xbfffffff, "Reserved"),
        (0xfffc0000, 0xffffffff, "Reserved"),
        (0x100000000, 0x1bfffffff, "System RAM"),
        (0xfd00000000, 0xffffffffff, "Reserved"),
    ];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
