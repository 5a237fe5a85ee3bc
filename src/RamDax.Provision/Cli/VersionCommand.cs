using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision version</c>, and <c>--version</c>, which prints the same line.</summary>
public static class VersionCommand
{
    public static string Version { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>What both print: <c>ramdax-provision 1.2.3</c>.</summary>
    public static string Line => $"ramdax-provision {Version}";

    public static Command Create(TextWriter output)
    {
        var command = new Command("version", "Print the version");
        command.SetAction(_ =>
        {
            output.WriteLine(Line);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Makes the root's <c>--version</c> print <see cref="Line"/> (System.CommandLine's own prints the bare informational version).</summary>
    public static void ReplaceVersionOption(RootCommand root, TextWriter output)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new PrintLine(output);
        }
    }

    private sealed class PrintLine(TextWriter output) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            output.WriteLine(Line);
            return ExitCodes.Ok;
        }
    }
}
