namespace RamDax.Provision.Tools;

/// <summary>What a finished external program left behind.</summary>
public sealed record ToolResult(string Tool, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command as a person would type it, for logs and errors.</summary>
    public string CommandLine => string.Join(' ', Arguments.Prepend(Tool));
}
