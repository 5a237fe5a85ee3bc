namespace RamDax.Provision;

/// <summary>
/// The root of every failure the agent reports to a person. Each kind carries the exit code that
/// scripts can rely on (see <see cref="ExitCodes"/>), and a message that says what was wrong,
/// where, and what to do.
/// </summary>
public abstract class ProvisionException(string message, int exitCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The process exit code this failure maps to.</summary>
    public int ExitCode { get; } = exitCode;
}
