using Microsoft.Extensions.Logging;

namespace RamDax.Provision;

/// <summary>
/// The agent's log lines, for every stage of a run. Each is a whole sentence (the reports carry the
/// same words), so it is built either way; a few dozen lines a run do not need deferred formatting.
/// </summary>
internal static partial class LogLines
{
    public static void Info(ILogger logger, string line) => LogInfo(logger, line);

    public static void Warn(ILogger logger, string line) => LogWarning(logger, line);

    public static void Error(ILogger logger, string line) => LogError(logger, line);

    public static void Write(ILogger logger, LogLevel level, string line)
    {
        switch (level)
        {
            case LogLevel.Error or LogLevel.Critical:
                LogError(logger, line);
                break;
            case LogLevel.Warning:
                LogWarning(logger, line);
                break;
            default:
                LogInfo(logger, line);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogInfo(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void LogWarning(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Line}")]
    private static partial void LogError(ILogger logger, string line);
}
