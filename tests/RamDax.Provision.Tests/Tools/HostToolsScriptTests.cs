using System.Diagnostics;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Tools;

/// <summary><c>tests/host-tools.sh check</c>, the first thing the test command runs, run for real on a list of its own.</summary>
public sealed class HostToolsScriptTests : IDisposable
{
    private readonly TempRoot _temp = new("ramdax-host-tools-");

    private string Dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_missing_program_fails_the_check_with_its_package_named()
    {
        var (code, _, error) = Check(
            "sh                          dash                    test",
            "ramdax-no-such-program      ramdax-no-such-package  test",
            "/ramdax/no/such/file        ramdax-no-such-dev      build");

        Assert.Equal(1, code);
        Assert.Contains("missing program: ramdax-no-such-program (Debian package ramdax-no-such-package", error, StringComparison.Ordinal);
        Assert.Contains("missing program: /ramdax/no/such/file (Debian package ramdax-no-such-dev", error, StringComparison.Ordinal);
        Assert.DoesNotContain("missing program: sh ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Programs_only_the_agent_or_the_guest_runs_are_not_required_on_the_host()
    {
        var (code, output, error) = Check(
            "sh                          dash                    test",
            "ramdax-no-such-program      ramdax-no-such-package  agent,guest");

        Assert.True(code == 0, error);
        Assert.Contains("all 1 programs", output, StringComparison.Ordinal);
    }

    private (int Code, string Output, string Error) Check(params string[] rows)
    {
        var list = Path.Join(Dir, "tools.tsv");
        File.WriteAllLines(list, ["# program package roles", .. rows]);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Join(Repository.Top, "tests", "host-tools.sh"));
        start.ArgumentList.Add("check");
        start.Environment["RAMDAX_HOST_TOOLS"] = list;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
