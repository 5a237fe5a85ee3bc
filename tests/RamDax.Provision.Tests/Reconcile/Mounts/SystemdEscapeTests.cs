using System.Diagnostics;
using RamDax.Provision.Tests.Support;
using RamDax.Provision.Reconcile.Mounts;

namespace RamDax.Provision.Tests.Reconcile.Mounts;

public sealed class SystemdEscapeTests
{
    public static TheoryData<string> Paths => new()
    {
        "/mnt/e",
        "/mnt/ramdax/store-ext4",
        "/",
        "//srv//pmem/",
        "/mnt/my data",
        "/mnt/.hidden/x",
        "/var/lib/a:b_c.d",
        "/mnt/ünï/cödé",
        "/mnt/per%cent/back\\slash",
        "/mnt/./x",
    };

    [HostTheory(false, "systemd-escape")]
    [MemberData(nameof(Paths))]
    public void Mount_unit_names_match_systemd_escape(string path)
    {
        Assert.Equal(RealSystemdEscape(path), SystemdEscape.Path(path));
    }

    [Fact]
    public void The_unit_of_the_captured_mount_is_named_as_systemd_names_it()
    {
        Assert.Equal("mnt-ramdax-store\\x2dext4.mount", SystemdEscape.MountUnit("/mnt/ramdax/store-ext4"));
    }

    [Fact]
    public void A_path_with_dot_dot_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SystemdEscape.Path("/mnt/../etc"));
    }

    private static string RealSystemdEscape(string path)
    {
        var start = new ProcessStartInfo("systemd-escape") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--path");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start systemd-escape (package systemd)");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"systemd-escape --path '{path}' failed: {process.StandardError.ReadToEnd()}");
        return output.TrimEnd('\n');
    }
}
