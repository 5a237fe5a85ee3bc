using System.CommandLine;
using System.Text.Json;
using RamDax.Provision.Machine;
using RamDax.Provision.Output;
using RamDax.Provision.State;
using RamDax.Provision.Status;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Cli;

/// <summary>
/// <c>ramdax-provision status</c>: wanted and running arguments, backend, reboot state, last run.
/// Its exit status says whether everything planned is in place, so scripts and monitoring can ask it.
/// </summary>
public static class StatusCommand
{
    public static Command Create(TextWriter output)
    {
        var root = CommonOptions.Root();
        var format = CommonOptions.Format();
        var command = new Command("status", "Show the kernel arguments wanted and running, the bootloader, the reboot state and the last run; "
            + "exits 1 when anything planned is not in place or the last run failed") { root, format };
        command.SetAction(result =>
        {
            var report = StatusReader.Read(new MachineRoot(result.GetValue(root)!), new ToolRunner());
            var problems = Problems(report);
            if (result.GetValue(format) == "json")
            {
                output.WriteLine(JsonSerializer.Serialize(report, ProvisionJsonContext.Default.StatusReport));
            }
            else
            {
                StatusTextWriter.Write(report, output);
                foreach (var problem in problems)
                {
                    output.WriteLine($"not in place:    {problem}");
                }
            }

            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Why the machine is not as planned; empty when it is (or when nothing is planned).</summary>
    public static IReadOnlyList<string> Problems(StatusReport report)
    {
        var problems = new List<string>();
        var k = report.KernelArguments;
        if (report.LastRun is { Result: RunResult.Failed } run)
        {
            problems.Add($"the last run ({run.Command}, {run.StartedAt:u}) failed{(run.Message is null ? "" : ": " + run.Message)}");
        }

        if (!k.Missing.IsEmpty)
        {
            problems.Add($"the running kernel lacks {string.Join(' ', k.Missing)}{(k.Reboot == RebootState.Failed ? " and the reboot for them did not bring them" : "")}");
        }

        if (report.Reconcile is { AllInPlace: false })
        {
            problems.Add("this boot's report lists items that are not in place");
        }
        else if (report.Reconcile is null && !k.Wanted.IsEmpty && k.Missing.IsEmpty)
        {
            problems.Add("no run has provisioned the carve-out on this boot yet");
        }

        return problems;
    }
}
