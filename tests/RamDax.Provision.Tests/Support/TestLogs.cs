using Microsoft.Extensions.Logging;
using RamDax.Provision.Output;

namespace RamDax.Provision.Tests.Support;

/// <summary>The agent's log over a writer, as the commands make it (one line per message, no priority prefix).</summary>
public static class TestLogs
{
    public static ILoggerFactory Over(TextWriter output) => LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider(output, priorityPrefix: false)));
}
