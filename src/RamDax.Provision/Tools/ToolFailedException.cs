namespace RamDax.Provision.Tools;

/// <summary>An external program failed or could not be started.</summary>
public sealed class ToolFailedException(ToolResult result, string? doing = null)
    : ProvisionException(Describe(result, doing), ExitCodes.Failed)
{
    public ToolResult Result { get; } = result;

    private static string Describe(ToolResult r, string? doing)
    {
        var output = (r.StandardError.Trim().Length > 0 ? r.StandardError : r.StandardOutput).Trim();
        var prefix = doing is null ? "" : doing + " failed: ";
        return $"{prefix}{r.CommandLine} exited with {r.ExitCode}" + (output.Length > 0 ? $": {output}" : "");
    }
}
