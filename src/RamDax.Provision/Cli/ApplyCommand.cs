using System.CommandLine;
using Microsoft.Extensions.Logging;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Apply;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Metadata;
using RamDax.Provision.Output;
using RamDax.Provision.State;
using RamDax.Provision.Status;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision apply</c>: what systemd runs at boot; converges the machine toward the plan.</summary>
public static class ApplyCommand
{
    public static Command Create(TextWriter output, Journal journal)
    {
        var root = CommonOptions.Root();
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var reboot = new Option<string?>("--reboot")
        {
            Description = "How to restart once the kernel arguments are written (overrides the reboot: setting)",
            HelpName = "auto|never|kexec",
        }.AcceptOnlyFromAmong("auto", "never", "kexec");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print each action that would be taken; change nothing" };
        var offline = new Option<bool>("--offline") { Description = "Fetch no instance metadata" };
        var skipReconciled = new Option<bool>("--skip-reconciled")
        {
            Description = "Skip the every-boot steps when an earlier run of this boot already put the same plan in place",
        };
        var command = new Command("apply", "Write the kernel arguments, reboot once if needed, and provision the carve-outs")
        {
            root, config, set, reboot, dryRun, offline, skipReconciled,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var machine = new MachineRoot(result.GetValue(root)!);
            if (KillSwitch.DisabledBy(machine) is { } reason)
            {
                output.WriteLine($"apply: disabled: {reason}; nothing was read or changed");
                return ExitCodes.Ok;
            }

            RebootMode? mode = result.GetValue(reboot) switch
            {
                "auto" => RebootMode.Auto,
                "never" => RebootMode.Never,
                "kexec" => RebootMode.Kexec,
                _ => null,
            };
            if (machine.Path != "/")
            {
                // Rebooting would restart the host, not the image under --root.
                output.WriteLine($"--root {machine.Path}: changing an image, so the host is never rebooted (reboot: never)");
                mode = RebootMode.Never;
            }

            using var logging = LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider(output, priorityPrefix: false)));
            var runner = new ToolRunner();
            var applier = new Applier(runner, TimeProvider.System, logging);
            journal.Status("planning");
            var started = TimeProvider.System.GetUtcNow();
            var request = new ApplyRequest(machine, [.. result.GetValue(config) ?? []], [.. result.GetValue(set) ?? []], mode, result.GetValue(dryRun), result.GetValue(offline), result.GetValue(skipReconciled));
            var report = await applier.RunAsync(request, cancellationToken: cancellationToken);
            // Only a report this run wrote: a run that skipped the every-boot steps must not repeat the earlier run's events.
            var reconcile = ReconcileReport.Read(machine) is { } written && written.FinishedAt >= started ? written : null;
            foreach (var entry in JournalEvents.Of(report, reconcile))
            {
                journal.Send(entry);
            }

            request.Mode.Write(() => PrometheusTextfile.WriteIfCollected(machine, report.MetricsTextfile, StatusReader.Read(machine, runner), new PlanRecord(machine).Read()));

            // What the run cost, for the boot figures: every process it started, and its own peak memory.
            using (var self = System.Diagnostics.Process.GetCurrentProcess())
            {
                output.WriteLine($"apply: programs run: {runner.StartedSummary()}; peak resident memory {self.PeakWorkingSet64 / (1024 * 1024)} MiB");
            }

            var outcome = $"apply: {report.Result.Word()}{(report.Message is null ? "" : ": " + report.Message)}";
            output.WriteLine(outcome);
            journal.Status(outcome);
            return report.ExitCode;
        });
        return command;
    }
}
