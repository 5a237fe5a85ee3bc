using RamDax.Provision.Reconcile.Readers;

namespace RamDax.Provision.Reconcile.Filesystems;

/// <summary>What to do with the device of an fsdax namespace, decided from its signature.</summary>
public abstract record FilesystemDecision
{
    private FilesystemDecision()
    {
    }

    /// <summary>The planned filesystem is there: mount it as it is (a warm reboot keeps the data).</summary>
    public sealed record Keep(BlkidSignature Signature) : FilesystemDecision;

    /// <summary>Make the filesystem; <see cref="WipeFirst"/> when <c>wipe: true</c> replaces another signature.</summary>
    public sealed record Format(bool WipeFirst, string Why) : FilesystemDecision;

    /// <summary>Something else is on the device and nobody asked to wipe it: never formatted.</summary>
    public sealed record Refuse(string Reason) : FilesystemDecision;
}
