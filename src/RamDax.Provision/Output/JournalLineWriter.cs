using System.Text;
using RamDax.Provision.State;

namespace RamDax.Provision.Output;

/// <summary>
/// The agent's stdout (or stderr) under systemd: each whole line gets its syslog priority as a
/// <c>&lt;N&gt;</c> prefix when the stream is the journal, and becomes the unit's <c>STATUS=</c>
/// when it carries progress, so <c>systemctl status</c> shows what a long first boot is doing.
/// The priority comes from the words every line of the agent starts with: <c>error: </c> and a
/// step that <c>failed</c> are errors, <c>warning: </c> is a warning, the end of a run that
/// reboots is a notice.
/// </summary>
public sealed class JournalLineWriter(TextWriter inner, Journal journal, bool priorityPrefix, int? fixedPriority = null, bool reportStatus = false) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => inner.Encoding;

    // The words the lines are made of (ApplyPipeline's "[2/4] step: failed: ...", ApplyCommand's "apply: rebooting: ...").
    private static readonly string FailedStep = $": {StepStatus.Failed.Word()}: ";
    private static readonly string RunFailed = $"apply: {RunResult.Failed.Word()}";
    private static readonly string RunRebooting = $"apply: {RunResult.Rebooting.Word()}";
    private static readonly string RunRebootPending = $"apply: {RunResult.RebootPending.Word()}";

    /// <summary>The syslog priority of one of the agent's lines.</summary>
    public static int PriorityOf(string line)
    {
        if (line.StartsWith("error: ", StringComparison.Ordinal) || (line.StartsWith('[') && line.Contains(FailedStep, StringComparison.Ordinal))
            || line.StartsWith(RunFailed, StringComparison.Ordinal))
        {
            return JournalEvents.Error;
        }

        if (line.StartsWith("warning: ", StringComparison.Ordinal))
        {
            return JournalEvents.Warning;
        }

        return line.StartsWith(RunRebooting, StringComparison.Ordinal) || line.StartsWith(RunRebootPending, StringComparison.Ordinal)
            ? JournalEvents.Notice
            : 6;
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var c in value)
            {
                Append(c);
            }
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                if (_line.Length > 0)
                {
                    Emit();
                }

                inner.Flush();
            }
        }

        base.Dispose(disposing);
    }

    private void Append(char c)
    {
        if (c == '\n')
        {
            Emit();
        }
        else if (c != '\r')
        {
            _line.Append(c);
        }
    }

    private void Emit()
    {
        var line = _line.ToString();
        _line.Clear();
        inner.WriteLine(priorityPrefix ? $"<{fixedPriority ?? PriorityOf(line)}>{line}" : line);
        inner.Flush();
        if (reportStatus && line.Length > 0)
        {
            journal.Status(line);
        }
    }
}
