namespace RamDax.Provision.Tools;

/// <summary>
/// Finds a program as a shell does: in the directories PATH names, in order, and nowhere else.
/// .NET's own lookup (a bare name given to <c>Process.Start</c>, and so to CliWrap) tries the
/// agent's own directory and then the current directory before PATH, so a file called
/// <c>ndctl</c> in the directory an operator starts the agent from would run as root, and
/// <c>/usr/sbin</c> (where the agent lives) would win over an administrator's
/// <c>/usr/local/sbin</c>. Empty and relative PATH entries, which also mean the current directory,
/// are skipped.
/// </summary>
public static class ToolPath
{
    /// <summary>systemd's PATH for services, used when the environment has none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <returns>The program's absolute path (a name with a slash as it is), or null when no PATH directory has it.</returns>
    public static string? Find(string tool, string? path)
    {
        if (tool.Contains('/'))
        {
            return tool;
        }

        foreach (var directory in (string.IsNullOrEmpty(path) ? DefaultPath : path).Split(':'))
        {
            if (!directory.StartsWith('/'))
            {
                continue;
            }

            var candidate = Path.Join(directory, tool);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & AnyExecute) != 0))
            {
                return candidate;
            }
        }

        return null;
    }
}
