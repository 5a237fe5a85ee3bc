using System.CommandLine;
using RamDax.Provision.Apply;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision clean</c>: forget per-instance state before an image is captured.</summary>
public static class CleanCommand
{
    public static Command Create(TextWriter output)
    {
        var root = CommonOptions.Root();
        var command = new Command("clean", "Forget the per-instance state so a captured image provisions afresh on its next first boot") { root };
        command.SetAction(result => InstanceStateCleaner.Run(new MachineRoot(result.GetValue(root)!), output));
        return command;
    }
}
