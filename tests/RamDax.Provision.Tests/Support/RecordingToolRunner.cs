using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Support;

/// <summary>
/// Records every tool call. Boot-configuration tools run for real inside the test root (they come
/// as <c>chroot ROOT ...</c>); systemctl, cloud-init and kexec never run: they answer with the
/// configured exit code, so nothing reboots.
/// </summary>
public sealed class RecordingToolRunner(bool runChrootForReal = true) : IToolRunner
{
    private readonly ToolRunner _real = new();

    public List<ToolResult> Calls { get; } = [];

    public Dictionary<string, int> ExitCodes { get; } = [];

    /// <summary>Exit code and output for a tool and its first argument ("systemctl is-system-running").</summary>
    public Dictionary<string, (int ExitCode, string Output)> Answers { get; } = [];

    /// <summary>Called before each tool runs; a test throws from it to stop a run at a tool.</summary>
    public Action<string, IReadOnlyList<string>>? BeforeRun { get; set; }

    public int Reboots => Calls.Count(c => c.Tool == ExternalTools.Systemctl && c.Arguments is ["reboot", "--no-block"] or ["kexec", "--no-block"]);

    public async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        BeforeRun?.Invoke(tool, arguments);
        ToolResult result;
        if (tool == ExternalTools.Chroot && runChrootForReal)
        {
            result = await _real.RunAsync(tool, arguments, timeout, standardInput, cancellationToken);
        }
        else
        {
            var answer = (ExitCode: 0, Output: "");
            var answered = arguments.Count > 0 && Answers.TryGetValue($"{tool} {arguments[0]}", out answer);
            var code = answered ? answer.ExitCode : ExitCodes.TryGetValue(tool, out var c) ? c : 0;
            result = new ToolResult(tool, arguments, code, answered ? answer.Output : "", code == 0 ? "" : $"{tool} failed (recorded)", TimeSpan.Zero);
        }

        Calls.Add(result);
        return result;
    }
}
