using RamDax.Provision.Tests.Support;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Tools;

/// <summary>Programs are found as a shell finds them: PATH's absolute directories, in order, executable files only.</summary>
public sealed class ToolPathTests : IDisposable
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempRoot _temp = new("ramdax-toolpath-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_first_PATH_directory_with_an_executable_file_of_that_name_wins()
    {
        var first = Program("first/ndctl", Executable);
        Program("second/ndctl", Executable);

        Assert.Equal(first, ToolPath.Find("ndctl", $"{Dir("empty")}:{Dir("first")}:{Dir("second")}"));
    }

    [Fact]
    public void A_file_without_an_execute_bit_is_passed_over()
    {
        Program("first/ndctl", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var second = Program("second/ndctl", Executable);

        Assert.Equal(second, ToolPath.Find("ndctl", $"{Dir("first")}:{Dir("second")}"));
    }

    [Fact]
    public void A_link_to_an_executable_is_found_by_its_own_name()
    {
        var target = Program("sbin/mke2fs", Executable);
        File.CreateSymbolicLink(Path.Join(Dir("sbin"), "mkfs.ext4"), "mke2fs");

        Assert.Equal(Path.Join(Dir("sbin"), "mkfs.ext4"), ToolPath.Find("mkfs.ext4", Dir("sbin")));
        Assert.True(File.Exists(target));
    }

    // Process.Start would have looked in the agent's directory and the current directory first; a
    // relative PATH entry is relative to the current directory, so it is skipped too.
    [Fact]
    public void A_relative_PATH_entry_is_never_searched()
    {
        Program("cwd/ramdax-probe", Executable);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Dir("cwd"));

        Assert.False(Path.IsPathRooted(relative));
        Assert.Null(ToolPath.Find("ramdax-probe", relative));
        Assert.Equal(Path.Join(Dir("cwd"), "ramdax-probe"), ToolPath.Find("ramdax-probe", Dir("cwd")));
    }

    [Fact]
    public void Without_a_PATH_systemd_s_default_one_is_searched()
    {
        var expected = ToolPath.DefaultPath.Split(':').Select(d => Path.Join(d, "sh")).First(File.Exists);

        Assert.Equal(expected, ToolPath.Find("sh", null));
        Assert.Equal(expected, ToolPath.Find("sh", ""));
    }

    [Fact]
    public void A_name_with_a_slash_is_used_as_it_is()
    {
        Assert.Equal("/usr/sbin/update-grub", ToolPath.Find("/usr/sbin/update-grub", "/nowhere"));
    }

    private string Dir(string name) => Directory.CreateDirectory(Path.Join(_temp.Path, name)).FullName;

    private string Program(string relative, UnixFileMode mode)
    {
        var path = Path.Join(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }
}
