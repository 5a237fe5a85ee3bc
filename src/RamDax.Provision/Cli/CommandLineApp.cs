using System.CommandLine;

namespace RamDax.Provision.Cli;

/// <summary>The command line: one subcommand per job, every failure mapped to a documented exit code.</summary>
public static class CommandLineApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("RamDax Provision: carve RAM out as NVDIMM namespaces (Linux ramdax), and keep them provisioned on every boot.")
        {
            PlanCommand.Create(output),
            ValidateCommand.Create(output, error),
            VersionCommand.Create(output),
            ApplyCommand.Create(output),
            StatusCommand.Create(output),
            RevertCommand.Create(output),
            CleanCommand.Create(output),
        };

        var parsed = root.Parse(args);
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (ProvisionException e)
        {
            error.WriteLine($"ramdax-provision: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // System.CommandLine cancels the run on SIGINT/SIGTERM (systemd stopping the unit).
            error.WriteLine("ramdax-provision: stopped by a signal before it finished; run it again to carry on (its state and files are never left half-written)");
            return ExitCodes.Interrupted;
        }
    }
}
