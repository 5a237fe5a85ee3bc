using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Tools;

/// <summary>The real runner against real programs of the host (coreutils).</summary>
public class ToolRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_program_s_exit_code_and_output_come_back_and_its_process_is_counted()
    {
        var runner = new ToolRunner();

        var ok = await runner.RunAsync("printf", ["%s-%s", "a b", "c"], Bound);
        var failed = await runner.RunAsync("false", [], Bound);
        await runner.RunAsync("printf", ["x"], Bound);

        Assert.Equal((0, "a b-c"), (ok.ExitCode, ok.StandardOutput));
        Assert.False(failed.Succeeded);
        Assert.Equal([("false", 1), ("printf", 2)], runner.Started);
        Assert.Equal("3 (false 1, printf 2)", runner.StartedSummary());
    }

    [Fact]
    public async Task Standard_input_reaches_the_program()
    {
        var result = await new ToolRunner().RunAsync("cat", [], Bound, standardInput: "line one\n");

        Assert.Equal("line one\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_program_that_is_not_installed_is_exit_127_with_a_hint_and_started_no_process()
    {
        var runner = new ToolRunner();

        var result = await runner.RunAsync("ramdax-no-such-program", [], Bound);

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("is its package installed?", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(runner.Started);
        Assert.Equal("0", runner.StartedSummary());
    }

    [Fact]
    public async Task A_program_that_outlives_its_bound_is_exit_124_timed_out()
    {
        var result = await new ToolRunner().RunAsync("sleep", ["30"], TimeSpan.FromMilliseconds(200));

        Assert.Equal(124, result.ExitCode);
        Assert.Contains("timed out", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_programs_run_in_the_C_locale()
    {
        var result = await new ToolRunner().RunAsync("sh", ["-c", "printf %s \"$LC_ALL\""], Bound);

        Assert.Equal("C", result.StandardOutput);
    }

    [Fact]
    public async Task A_program_no_PATH_directory_has_is_exit_127_with_the_PATH_named()
    {
        var result = await new ToolRunner().RunAsync("ramdax-no-such-program", [], Bound);

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("cannot run ramdax-no-such-program: no directory of PATH (", result.StandardError, StringComparison.Ordinal);
    }
}
