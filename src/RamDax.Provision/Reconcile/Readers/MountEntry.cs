namespace RamDax.Provision.Reconcile.Readers;

/// <summary>One line of <c>/proc/self/mountinfo</c>, with paths unescaped.</summary>
public sealed record MountEntry(int Id, string Device, string MountPoint, string Options, string FilesystemType, string Source, string SuperOptions)
{
    /// <summary>Whether the filesystem runs with DAX on: ext4 and XFS list <c>dax=always</c> among the super options.</summary>
    public bool HasDaxAlways => SuperOptions.Split(',').Contains("dax=always", StringComparer.Ordinal);
}
