namespace RamDax.Provision.Tools;

/// <summary>Runs external programs; the one seam tests replace.</summary>
public interface IToolRunner
{
    /// <summary>Runs <paramref name="tool"/> with an argument list (never a shell string) and captures its output.</summary>
    Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string? standardInput = null, CancellationToken cancellationToken = default);
}
