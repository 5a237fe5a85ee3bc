using Microsoft.Extensions.Logging;
using RamDax.Provision.Output;

namespace RamDax.Provision.Tests.Output;

public sealed class LineLoggerProviderTests
{
    [Fact]
    public void Log_lines_land_in_order_with_the_other_output_and_name_their_category()
    {
        var output = new StringWriter();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider(output, priorityPrefix: false))))
        {
            var log = factory.CreateLogger("reconcile");
            output.WriteLine("[3/4] reboot into the kernel arguments: in place");
            Say(log, LogLevel.Information, "bound ramdax to e820_pmem through driver_override");
            output.WriteLine("between");
            Say(log, LogLevel.Warning, "the report was not saved");
            Say(log, LogLevel.Error, "namespace 'a': failed");
            Say(log, LogLevel.Debug, "not shown");
        }

        Assert.Equal(
            [
                "[3/4] reboot into the kernel arguments: in place",
                "reconcile: bound ramdax to e820_pmem through driver_override",
                "between",
                "warning: reconcile: the report was not saved",
                "error: reconcile: namespace 'a': failed",
            ],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(LogLevel.Information, "<6>reconcile: m")]
    [InlineData(LogLevel.Warning, "<4>warning: reconcile: m")]
    [InlineData(LogLevel.Error, "<3>error: reconcile: m")]
    [InlineData(LogLevel.Critical, "<2>error: reconcile: m")]
    public void Under_the_journal_each_line_carries_its_syslog_priority(LogLevel level, string expected) =>
        Assert.Equal(expected, LineLoggerProvider.Format("reconcile", level, "m", priorityPrefix: true));

    private static void Say(ILogger log, LogLevel level, string message) => log.Log(level, default, message, null, static (m, _) => m);
}
