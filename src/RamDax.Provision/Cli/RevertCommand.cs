using System.CommandLine;
using RamDax.Provision.Apply;
using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision revert</c>: remove the agent's kernel arguments and files, rebuild the boot configuration.</summary>
public static class RevertCommand
{
    public static Command Create(TextWriter output)
    {
        var root = CommonOptions.Root();
        var command = new Command("revert", "Remove the kernel arguments and files this agent wrote and rebuild the boot configuration; "
            + "namespaces and their data are left alone (ndctl destroy-namespace removes them)") { root };
        command.SetAction((result, cancellationToken) =>
            new Reverter(new ToolRunner(), output).RunAsync(new MachineRoot(result.GetValue(root)!), cancellationToken));
        return command;
    }
}
