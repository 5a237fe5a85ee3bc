using RamDax.Provision.Output;
using System.CommandLine;
using System.Text.Json;
using RamDax.Provision.Machine;
using RamDax.Provision.Status;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision status</c>: wanted and running arguments, backend, reboot state, last run.</summary>
public static class StatusCommand
{
    public static Command Create(TextWriter output)
    {
        var root = CommonOptions.Root();
        var format = CommonOptions.Format();
        var command = new Command("status", "Show the kernel arguments wanted and running, the bootloader, the reboot state and the last run") { root, format };
        command.SetAction(result =>
        {
            var report = StatusReader.Read(new MachineRoot(result.GetValue(root)!), new ToolRunner());
            if (result.GetValue(format) == "json")
            {
                output.WriteLine(JsonSerializer.Serialize(report, ProvisionJsonContext.Default.StatusReport));
            }
            else
            {
                StatusTextWriter.Write(report, output);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
