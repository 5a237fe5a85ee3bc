namespace RamDax.Provision.Files;

/// <summary>A file cannot be read, said in words; <see cref="Missing"/> when it does not exist.</summary>
public sealed class UnreadableFileException(string path, string reason, bool missing = false)
    : IOException($"cannot read {path}: {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;

    public bool Missing { get; } = missing;
}
