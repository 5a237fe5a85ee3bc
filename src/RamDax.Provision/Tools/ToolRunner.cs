using CliWrap;
using CliWrap.Buffered;

namespace RamDax.Provision.Tools;

/// <summary>
/// Runs programs for real through CliWrap, found in PATH only (<see cref="ToolPath"/>), with a
/// timeout and captured output, and counts the processes it started, by program, so a run can say
/// what it cost.
/// </summary>
public sealed class ToolRunner(TimeProvider? time = null) : IToolRunner
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, int> _started = new(StringComparer.Ordinal);

    /// <summary>The processes started so far, by program name, by program name.</summary>
    public IReadOnlyList<(string Tool, int Count)> Started
    {
        get
        {
            lock (_started)
            {
                return [.. _started.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];
            }
        }
    }

    /// <summary>"3 (ndctl 2, udevadm 1)", or "0" when none was started.</summary>
    public string StartedSummary()
    {
        var started = Started;
        var total = started.Sum(s => s.Count);
        return total == 0 ? "0" : $"{total} ({string.Join(", ", started.Select(s => $"{s.Tool} {s.Count}"))})";
    }

    public async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var started = _time.GetTimestamp();
        var path = Environment.GetEnvironmentVariable("PATH");
        if (ToolPath.Find(tool, path) is not { } program)
        {
            return new ToolResult(tool, arguments, 127, "", $"cannot run {tool}: no directory of PATH ({(string.IsNullOrEmpty(path) ? ToolPath.DefaultPath : path)}) has it; is its package installed?", _time.GetElapsedTime(started));
        }

        var command = CliWrap.Cli.Wrap(program)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(e => e.Set("LC_ALL", "C"));
        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        }

        try
        {
            // CliWrap starts the process before it returns the task (and throws when it cannot).
            var running = command.ExecuteBufferedAsync(deadline.Token);
            Count(tool);
            var result = await running.ConfigureAwait(false);
            return new ToolResult(tool, arguments, result.ExitCode, result.StandardOutput, result.StandardError, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ToolResult(tool, arguments, 124, "", $"timed out after {timeout.TotalSeconds:0} s", _time.GetElapsedTime(started));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ToolResult(tool, arguments, 127, "", $"cannot run {tool}: {e.Message}; is its package installed?", _time.GetElapsedTime(started));
        }
    }

    private void Count(string tool)
    {
        lock (_started)
        {
            _started[tool] = _started.GetValueOrDefault(tool) + 1;
        }
    }
}
