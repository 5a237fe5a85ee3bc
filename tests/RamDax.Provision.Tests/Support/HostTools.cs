using System.Collections.Immutable;

namespace RamDax.Provision.Tests.Support;

/// <summary>
/// <c>tests/host-tools.tsv</c>: every program the agent, the build and the tests run, with the
/// Debian package that provides it and who runs it. tests/run.sh installs and checks its host
/// rows; the tests here hold the agent's rows against the code and the package.
/// </summary>
public static class HostTools
{
    public static string ListPath { get; } = Path.Join(Repository.Top, "tests", "host-tools.tsv");

    public static ImmutableArray<HostTool> All { get; } = Read(ListPath);

    /// <summary>The package that provides <paramref name="program"/>, or null when the list lacks it.</summary>
    public static string? PackageOf(string program) =>
        All.FirstOrDefault(t => t.Program == program)?.Package;

    /// <summary>True when <paramref name="program"/> is an executable file in a PATH directory.</summary>
    public static bool IsOnPath(string program) => program.StartsWith('/') ? Path.Exists(program) :
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Join(dir, program))
            .Any(path => File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    public static ImmutableArray<HostTool> Read(string path)
    {
        var tools = ImmutableArray.CreateBuilder<HostTool>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var columns = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length != 3)
            {
                throw new FormatException($"{path}:{number}: want 'program package roles', got '{text}'");
            }

            var roles = columns[2].Split(',').Select(HostTool.ParseRole).ToImmutableHashSet();
            tools.Add(new HostTool(columns[0], columns[1] == "-" ? null : columns[1], roles, number));
        }

        return tools.ToImmutable();
    }
}
