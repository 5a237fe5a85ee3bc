using System.CommandLine;
using System.Reflection;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision version</c></summary>
public static class VersionCommand
{
    public static string Version { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Command Create(TextWriter output)
    {
        var command = new Command("version", "Print the version");
        command.SetAction(_ =>
        {
            output.WriteLine($"ramdax-provision {Version}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
