using System.CommandLine;
using System.CommandLine.Invocation;
using RamDax.Provision.Output;

namespace RamDax.Provision.Cli;

/// <summary>The command line: one subcommand per job, every failure mapped to a documented exit code.</summary>
public static class CommandLineApp
{
    public const string Name = "ramdax-provision";

    /// <summary>The command tree (also what the tests compare the manual page and the completion with).</summary>
    public static RootCommand Build(TextWriter output, TextWriter error, Journal? journal = null)
    {
        var root = new RootCommand("RamDax Provision: carve RAM out as NVDIMM namespaces (Linux ramdax), and keep them provisioned on every boot.")
        {
            PlanCommand.Create(output),
            ValidateCommand.Create(output, error),
            VersionCommand.Create(output),
            ApplyCommand.Create(output, journal ?? Journal.None),
            StatusCommand.Create(output),
            RevertCommand.Create(output),
            CleanCommand.Create(output),
        };
        VersionCommand.ReplaceVersionOption(root, output);
        return root;
    }

    /// <summary>The executable: stdout and stderr through <see cref="JournalLineWriter"/>, so under systemd every line has its priority.</summary>
    public static int RunOnConsole(string[] args)
    {
        var journal = Journal.FromEnvironment();
        using var output = new JournalLineWriter(Console.Out, journal, journal.StdoutIsJournal, reportStatus: true);
        using var error = new JournalLineWriter(Console.Error, journal, journal.StderrIsJournal, fixedPriority: JournalEvents.Error);
        return Run(args, output, error, journal);
    }

    public static int Run(string[] args, TextWriter output, TextWriter error, Journal? journal = null)
    {
        journal ??= Journal.None;
        var parsed = Build(output, error, journal).Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            // System.CommandLine exits 1 on a wrong command line; scripts are promised 2 (EX_USAGE's role).
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine($"{Name}: {problem.Message}");
            }

            var command = parsed.CommandResult.Command;
            error.WriteLine($"Try '{Name}{(command is RootCommand ? "" : " " + command.Name)} --help'.");
            return ExitCodes.Usage;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (ProvisionException e)
        {
            if (e.ExitCode == ExitCodes.PlanRefused)
            {
                journal.Send(JournalEvents.PlanRefused($"{Name}: {e.Message}"));
            }

            error.WriteLine($"{Name}: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // System.CommandLine cancels the run on SIGINT/SIGTERM (systemd stopping the unit).
            error.WriteLine($"{Name}: stopped by a signal before it finished; run it again to carry on (its state and files are never left half-written)");
            return ExitCodes.Interrupted;
        }
    }
}
