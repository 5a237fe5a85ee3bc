using RamDax.Provision.Cli;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Cli;

/// <summary>apply refuses to act when the kernel command line or a file says so, and reads nothing else first.</summary>
public sealed class KillSwitchTests : IDisposable
{
    private const string Cmdline = "BOOT_IMAGE=/boot/vmlinuz-7.3.4+deb13-amd64 root=UUID=7f476eb5-99d9-4d23-9d16-f3835b3788ab ro console=ttyS0,115200";

    private readonly TempRoot _temp = new();

    public KillSwitchTests() => _temp.CopyFixture("roots/qemu-6G-memmap2G");

    public void Dispose() => _temp.Dispose();

    private (int Exit, string Out, string Err) Apply()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CommandLineApp.Run(
            ["apply", "--root", _temp.Path, "--set", "carveout.size=2G", "--set", "bootloader=none", "--set", "metadata.source=none"], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private bool AgentLeftAnything => Directory.Exists(Path.Join(_temp.Path, "var/lib/ramdax-provision")) || Directory.Exists(Path.Join(_temp.Path, "run/ramdax-provision"));

    [Theory]
    [InlineData("ramdax-provision.disable")]
    [InlineData("ramdax-provision.disable=1")]
    public void The_kernel_command_line_word_keeps_apply_from_acting(string word)
    {
        _temp.Write("/proc/cmdline", $"{Cmdline} {word}\n");

        var (exit, output, error) = Apply();

        Assert.True(exit == 0, error);
        Assert.Contains($"apply: disabled: the kernel command line ({Path.Join(_temp.Path, "proc/cmdline")}) has ramdax-provision.disable", output, StringComparison.Ordinal);
        Assert.False(AgentLeftAnything);
    }

    [Fact]
    public void The_disabled_file_keeps_apply_from_acting()
    {
        _temp.Write("/etc/ramdax-provision/disabled", "");

        var (exit, output, error) = Apply();

        Assert.True(exit == 0, error);
        Assert.Contains($"apply: disabled: the file {Path.Join(_temp.Path, "etc/ramdax-provision/disabled")} exists", output, StringComparison.Ordinal);
        Assert.False(AgentLeftAnything);
    }

    [Fact]
    public void Without_either_apply_acts_and_a_similar_word_is_not_the_switch()
    {
        _temp.Write("/proc/cmdline", $"{Cmdline} ramdax-provision.disabled\n");

        var (_, output, _) = Apply();

        Assert.DoesNotContain("disabled:", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(_temp.Path, "var/lib/ramdax-provision/state.json")));
    }
}
