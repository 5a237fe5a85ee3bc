namespace RamDax.Provision.Boot;

/// <summary>What a configuration run changed.</summary>
public sealed record BootloaderChange(IReadOnlyList<string> FilesWritten, IReadOnlyList<string> CommandsRun);
