namespace RamDax.Provision.Reconcile;

/// <summary>A file the reconcile had to write could not be written.</summary>
public sealed class MachineWriteException(string path, Exception inner)
    : ProvisionException(
        $"cannot write {path}: {(inner is UnauthorizedAccessException ? "permission denied; run as root" : inner.Message)}",
        ExitCodes.Failed,
        inner)
{
    public string Path { get; } = path;
}
