using System.Diagnostics;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;
using RamDax.Provision.Tests.Configuration;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Files;

public sealed class BoundedFileTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_regular_file_is_read_whole_without_its_byte_order_mark()
    {
        var path = Path.Join(_root.Path, "a");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "size: 4G\n"u8]);

        Assert.Equal("size: 4G\n", BoundedFile.ReadText(path));
    }

    [Fact]
    public void A_FIFO_is_refused_at_once_instead_of_blocking()
    {
        var path = Path.Join(_root.Path, "fifo");
        YamlLayerReaderLimitsTests.MakeFifo(path);
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<UnreadableFileException>(() => BoundedFile.ReadText(path));

        Assert.Equal("a FIFO, not a regular file", e.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData("/dev/zero", "a character device, not a regular file")]
    [InlineData("/dev/null", "a character device, not a regular file")]
    [InlineData("/proc", "a directory, not a regular file")]
    public void A_device_or_directory_is_refused(string path, string reason)
    {
        Assert.Equal(reason, Assert.Throws<UnreadableFileException>(() => BoundedFile.ReadBytes(path)).Reason);
    }

    [Fact]
    public void A_procfs_file_that_reports_size_zero_is_read_to_its_end()
    {
        Assert.NotEmpty(BoundedFile.ReadText("/proc/self/status"));
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        var path = Path.Join(_root.Path, "big");
        File.WriteAllBytes(path, new byte[200_000]);

        Assert.Equal(200_000, BoundedFile.ReadBytes(path, 200_000).Length);
        Assert.Contains("larger than 195 KiB", Assert.Throws<UnreadableFileException>(() => BoundedFile.ReadBytes(path, 199_999)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_a_link_loop_and_a_file_as_directory_are_told_apart()
    {
        var loop = Path.Join(_root.Path, "loop");
        File.CreateSymbolicLink(loop, loop);
        File.WriteAllText(Path.Join(_root.Path, "file"), "x");

        Assert.True(Assert.Throws<UnreadableFileException>(() => BoundedFile.ReadBytes(Path.Join(_root.Path, "none"))).Missing);
        Assert.Contains("symbolic links", Assert.Throws<UnreadableFileException>(() => BoundedFile.ReadBytes(loop)).Reason, StringComparison.Ordinal);
        Assert.True(Assert.Throws<UnreadableFileException>(() => BoundedFile.ReadBytes(Path.Join(_root.Path, "file", "x"))).Missing);
    }

    [Theory]
    [InlineData("/proc/cmdline")]
    [InlineData("/proc/meminfo")]
    [InlineData("/sys/firmware/memmap/0/type")]
    public void A_FIFO_where_the_machine_readers_expect_a_file_is_an_error_naming_it(string file)
    {
        _root.Machine(TempRoot.Qemu6G);
        Directory.CreateDirectory(Path.GetDirectoryName(_root.Root.Resolve(file))!);
        File.Delete(_root.Root.Resolve(file));
        YamlLayerReaderLimitsTests.MakeFifo(_root.Root.Resolve(file));

        var e = Assert.Throws<MachineReadException>(() => _root.Root.ReadText(file));

        Assert.Equal($"cannot read {_root.Root.Resolve(file)}: a FIFO, not a regular file", e.Message);
        Assert.Equal(66, e.ExitCode);
    }
}
