using Microsoft.Extensions.Logging;

namespace RamDax.Provision.Output;

/// <summary>
/// The agent's log: one line per message, written at once to the same writer as the rest of its
/// output, so the journal keeps the order and the time of each line. Warnings and errors start with
/// <c>warning: </c> and <c>error: </c>; with <paramref name="priorityPrefix"/> each line also starts
/// with its syslog priority (<c>&lt;3&gt;</c> error, <c>&lt;4&gt;</c> warning, <c>&lt;6&gt;</c> info).
/// The agent itself writes through <see cref="JournalLineWriter"/>, which gives every line of its
/// output (these and the others) the priority its words say, so it passes false here.
/// </summary>
public sealed class LineLoggerProvider(TextWriter output, bool priorityPrefix) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(categoryName, output, priorityPrefix);

    public void Dispose()
    {
    }

    /// <summary>
    /// The line for one message: <c>[&lt;N&gt;][warning: |error: ]CATEGORY: MESSAGE</c>, or without
    /// <c>CATEGORY: </c> for the empty category (apply's own lines, which name what they tell).
    /// </summary>
    public static string Format(string category, LogLevel level, string message, bool priorityPrefix)
    {
        var (priority, word) = level switch
        {
            LogLevel.Critical => (2, "error: "),
            LogLevel.Error => (3, "error: "),
            LogLevel.Warning => (4, "warning: "),
            _ => (6, ""),
        };
        return $"{(priorityPrefix ? $"<{priority}>" : "")}{word}{(category.Length == 0 ? "" : category + ": ")}{message}";
    }

    private sealed class LineLogger(string category, TextWriter output, bool priorityPrefix) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = Format(category, logLevel, formatter(state, exception), priorityPrefix);
            lock (output)
            {
                output.WriteLine(line);
            }
        }
    }
}
