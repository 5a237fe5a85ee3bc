using RamDax.Provision.Output;
using System.Collections.Immutable;
using System.Text.Json;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.State;

/// <summary>Builds <see cref="StatusReport"/> from the state file and the running command line; changes nothing.</summary>
public static class StatusReader
{
    public static StatusReport Read(MachineRoot root, IToolRunner runner)
    {
        var state = new StateStore(root).Read();
        var k = state.KernelArguments;
        var running = root.FileExists(KernelCommandLine.Path) ? KernelCommandLine.Read(root) : new KernelCommandLine([]);
        var backend = k.Backend ?? BootloaderDetector.Detect(new BootTools(root, runner)).ToString() + " (detected)";
        return new StatusReport(
            state.InstanceId,
            new KernelArgumentStatus(
                k.Wanted,
                [.. k.Wanted.Where(running.Contains)],
                [.. k.Wanted.Where(a => !running.Contains(a))],
                [.. k.Owned.Where(a => running.Contains(a) && !k.Wanted.Contains(a))],
                backend,
                k.Files,
                k.Reboot,
                k.Error),
            state.LastRun,
            ReadReconcileReport(root));
    }

    public static void WriteText(StatusReport report, TextWriter output)
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
        output.WriteLine($"reboot:          {k.Reboot switch { RebootState.Pending => "pending", RebootState.Requested => "requested", RebootState.Failed => "FAILED (not rebooting again)", _ => "not needed" }}");
        if (k.Error is not null)
        {
            output.WriteLine($"error:           {k.Error}");
        }

        if (report.LastRun is { } run)
        {
            output.WriteLine($"last run:        {run.Command} {run.StartedAt:u}: {run.Result}{(run.Message is null ? "" : " - " + run.Message)}");
            foreach (var step in run.Steps)
            {
                output.WriteLine($"  {step.Status,-15} {step.Name}: {step.Detail}");
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

    /// <summary>The every-boot report of this boot (<c>/run/ramdax-provision/status.json</c>), if there is one.</summary>
    public static ReconcileReport? ReadReconcileReport(MachineRoot root) =>
        StateFile.Read(root, ReconcileReport.StatusPath, ProvisionJsonContext.Default.ReconcileReport, StateChecks.Status);

    private static string Join(ImmutableArray<string> values, string empty) => values.IsEmpty ? empty : string.Join(' ', values);
}
