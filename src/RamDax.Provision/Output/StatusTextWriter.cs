using System.Collections.Immutable;
using RamDax.Provision.State;
using RamDax.Provision.Status;

namespace RamDax.Provision.Output;

/// <summary><c>status</c> as a person reads it: the arguments, the bootloader, the reboot, the last run, then the every-boot report.</summary>
public static class StatusTextWriter
{
    public static void Write(StatusReport report, TextWriter output)
    {
        var k = report.KernelArguments;
        output.WriteLine($"instance:        {report.InstanceId ?? "(unknown)"}");
        output.WriteLine($"wanted:          {Join(k.Wanted, "(none)")}");
        output.WriteLine($"live:            {Join(k.Running, "(none)")}");
        output.WriteLine($"missing:         {Join(k.Missing, "(none)")}");
        if (!k.StaleRunning.IsEmpty)
        {
            output.WriteLine($"stale, running:  {Join(k.StaleRunning, "")}");
        }

        output.WriteLine($"bootloader:      {k.Backend}{(k.Files.IsEmpty ? "" : " (" + string.Join(", ", k.Files) + ")")}");
        output.WriteLine($"reboot:          {k.Reboot.Word()}{(k.Reboot == RebootState.Failed ? " (not rebooting again)" : "")}");
        if (k.Error is not null)
        {
            output.WriteLine($"error:           {k.Error}");
        }

        if (report.LastRun is { } run)
        {
            output.WriteLine($"last run:        {run.Command} {run.StartedAt:u}: {run.Result.Word()}{(run.Message is null ? "" : " - " + run.Message)}");
            foreach (var step in run.Steps)
            {
                output.WriteLine($"  {step.Status.Word(),-16} {step.Name}: {step.Detail}");
            }
        }
        else
        {
            output.WriteLine("last run:        (never)");
        }

        if (report.Reconcile is { } reconcile)
        {
            output.WriteLine();
            ReconcileReportTextWriter.Write(reconcile, output);
        }
    }

    private static string Join(ImmutableArray<string> values, string empty) => values.IsEmpty ? empty : string.Join(' ', values);
}
