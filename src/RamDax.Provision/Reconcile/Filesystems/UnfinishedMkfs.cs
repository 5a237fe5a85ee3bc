using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile.Filesystems;

/// <summary>
/// The mark an mkfs leaves while it runs: <c>/var/lib/ramdax-provision/mkfs-unfinished.UUID</c>,
/// named after the namespace's uuid, written durably before mkfs (or wipefs) starts and removed
/// once blkid finds the filesystem made. A mark found on a later boot for a namespace that is still
/// there (a crash or reset of the machine during mkfs keeps the RAM, and so the namespace; or an
/// mkfs that failed) means that namespace's filesystem was never finished: the agent had not
/// mounted it, so it never held data, and it is made again rather than kept or mounted as if
/// whole. Both mkfs.ext4 and mkfs.xfs, stopped half-way in the test guest, left a signature blkid
/// reports as a filesystem of the planned type and label. A namespace the kernel lost (a cold
/// boot) comes back with another uuid; its mark is stale and goes.
/// </summary>
public static class UnfinishedMkfs
{
    public const string Directory = "/var/lib/ramdax-provision";
    private const string Prefix = "mkfs-unfinished.";

    public static string PathFor(string uuid) => $"{Directory}/{Prefix}{uuid}";

    /// <summary>Only a namespace uuid as the kernel prints it names a mark (it becomes a file name).</summary>
    public static bool CanMark(string? uuid) => uuid is not null && Guid.TryParseExact(uuid, "D", out _);

    public static bool IsMarked(MachineRoot root, string? uuid) => CanMark(uuid) && root.FileExists(PathFor(uuid!));

    public static void Mark(IMachineWriter writer, string uuid, string what)
    {
        writer.CreateDirectory(Directory);
        writer.WriteFileIfChanged(PathFor(uuid), what + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public static void Clear(IMachineWriter writer, string uuid) => writer.DeleteFile(PathFor(uuid));

    /// <summary>Removes the marks of namespaces other than <paramref name="present"/> (the kernel no longer has them).</summary>
    public static void ClearAllBut(MachineRoot root, IMachineWriter writer, IReadOnlySet<string> present)
    {
        if (!root.DirectoryExists(Directory))
        {
            return;
        }

        foreach (var name in root.ListNames(Directory).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            if (!present.Contains(name[Prefix.Length..]))
            {
                writer.DeleteFile($"{Directory}/{name}");
            }
        }
    }
}
