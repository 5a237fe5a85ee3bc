using System.Diagnostics;
using RamDax.Provision.Apply;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Apply;

/// <summary>The run lock on a real directory: only a lock really held elsewhere is "busy".</summary>
public sealed class ApplyLockTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly List<string> _mounts = [];

    private string LockFile => _root.Root.Resolve(ApplyLock.LockPath);

    private string RunDirectory => Path.GetDirectoryName(LockFile)!;

    public void Dispose()
    {
        foreach (var mount in _mounts)
        {
            Run("umount", mount);
        }

        _root.Dispose();
    }

    [Fact]
    public void The_lock_is_taken_on_a_fresh_root_and_can_be_taken_again_once_released()
    {
        using (ApplyLock.Acquire(_root.Root))
        {
            Assert.True(File.Exists(LockFile));
        }

        using var again = ApplyLock.Acquire(_root.Root);
    }

    [Fact]
    public void A_second_open_handle_holding_the_lock_makes_the_run_busy()
    {
        using var held = ApplyLock.Acquire(_root.Root);

        var e = Assert.Throws<ApplyBusyException>(() => ApplyLock.Acquire(_root.Root));

        Assert.Equal(ExitCodes.Busy, e.ExitCode);
        Assert.Contains(LockFile, e.Message, StringComparison.Ordinal);
    }

    [HostFact(false, "flock")]
    public void Another_process_holding_the_lock_makes_the_run_busy()
    {
        Directory.CreateDirectory(RunDirectory);
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", LockFile, "sh", "-c", "echo held; exec sleep 60"])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine());

            var e = Assert.Throws<ApplyBusyException>(() => ApplyLock.Acquire(_root.Root));

            Assert.Equal(ExitCodes.Busy, e.ExitCode);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        using var free = ApplyLock.Acquire(_root.Root);
    }

    [Fact]
    public void A_symbolic_link_loop_at_the_lock_path_is_named_as_a_loop_not_as_busy()
    {
        Directory.CreateDirectory(RunDirectory);
        File.CreateSymbolicLink(LockFile, "lock.other");
        File.CreateSymbolicLink(LockFile + ".other", "lock");

        var e = Assert.Throws<ApplyLockUnavailableException>(() => ApplyLock.Acquire(_root.Root));

        Assert.Equal(ExitCodes.CannotCreate, e.ExitCode);
        Assert.Contains($"{LockFile} is a symbolic link loop; remove it (rm {LockFile})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_at_the_lock_path_is_named_with_what_to_do()
    {
        Directory.CreateDirectory(LockFile);

        var e = Assert.Throws<ApplyLockUnavailableException>(() => ApplyLock.Acquire(_root.Root));

        Assert.Equal(ExitCodes.CannotCreate, e.ExitCode);
        Assert.Contains($"{LockFile} is a directory where the lock file belongs; remove it (rmdir {LockFile})", e.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(LockFile));
    }

    [Theory]
    [InlineData("/run/ramdax-provision")]
    [InlineData("/run")]
    public void A_file_where_a_parent_directory_belongs_is_named(string parent)
    {
        var file = _root.Root.Resolve(parent);
        _root.Write(parent, "not a directory\n");

        var e = Assert.Throws<ApplyLockUnavailableException>(() => ApplyLock.Acquire(_root.Root));

        Assert.Equal(ExitCodes.CannotCreate, e.ExitCode);
        Assert.Contains($"{file} is a file where a directory belongs on the way to {LockFile}", e.Message, StringComparison.Ordinal);
        Assert.Equal("not a directory\n", File.ReadAllText(file));
    }

    [HostFact(true, "mount", "umount")]
    public void A_read_only_run_directory_is_a_write_failure_not_busy()
    {
        Mount(RunDirectory, "ro,size=64k");

        var e = Assert.Throws<ApplyLockUnavailableException>(() => ApplyLock.Acquire(_root.Root));

        Assert.Equal(ExitCodes.CannotCreate, e.ExitCode);
        Assert.Contains($"cannot create {LockFile}: the file system is read-only", e.Message, StringComparison.Ordinal);
        Assert.Equal(73, TopLevelFailure.Describe(e).ExitCode);
    }

    [HostFact(true, "mount", "umount")]
    public void A_full_run_directory_is_an_io_error_not_busy()
    {
        Mount(RunDirectory, "size=64k,nr_inodes=4");
        for (var i = 0; ; i++)
        {
            try
            {
                File.WriteAllText(Path.Join(RunDirectory, $"filler{i}"), "");
            }
            catch (IOException)
            {
                break;
            }
        }

        var e = Assert.Throws<ApplyLockUnavailableException>(() => ApplyLock.Acquire(_root.Root));

        Assert.Equal(ExitCodes.IoError, e.ExitCode);
        Assert.Contains($"cannot create {LockFile}: no space left", e.Message, StringComparison.Ordinal);
    }

    private void Mount(string directory, string options)
    {
        Directory.CreateDirectory(directory);
        Run("mount", "-t", "tmpfs", "-o", options, "ramdax-lock-test", directory);
        _mounts.Add(directory);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
    }
}
