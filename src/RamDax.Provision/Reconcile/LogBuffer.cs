using Microsoft.Extensions.Logging;

namespace RamDax.Provision.Reconcile;

/// <summary>
/// Holds the log lines of work that runs concurrently (one mkfs per namespace) so they can be
/// written afterwards in plan order, each namespace's lines together.
/// </summary>
internal sealed class LogBuffer
{
    private readonly List<(LogLevel Level, string Line)> _lines = [];

    public void Info(string line) => Add(LogLevel.Information, line);

    public void Warn(string line) => Add(LogLevel.Warning, line);

    public void Error(string line) => Add(LogLevel.Error, line);

    public void FlushTo(ILogger logger)
    {
        lock (_lines)
        {
            foreach (var (level, line) in _lines)
            {
                LogLines.Write(logger, level, line);
            }

            _lines.Clear();
        }
    }

    private void Add(LogLevel level, string line)
    {
        lock (_lines)
        {
            _lines.Add((level, line));
        }
    }
}
