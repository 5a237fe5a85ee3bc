namespace RamDax.Provision.Machine;

/// <summary>A file the agent must read to know the machine is missing or unreadable.</summary>
public sealed class MachineReadException(string path, Exception? inner = null, string? detail = null)
    : ProvisionException(
        $"cannot read {path}: {detail ?? Describe(inner)}",
        ExitCodes.InputMissing,
        inner)
{
    public string Path { get; } = path;

    private static string Describe(Exception? e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file; is --root pointing at a machine's root directory?",
        UnauthorizedAccessException => "permission denied; run as root",
        null => "unreadable",
        _ => e.Message,
    };
}
