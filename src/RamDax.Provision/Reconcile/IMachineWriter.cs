namespace RamDax.Provision.Reconcile;

/// <summary>
/// The one place the reconcile changes files on the machine (sysfs attributes, generated rules, the
/// status file). Every path is written as on the machine and lands under the root.
/// </summary>
public interface IMachineWriter
{
    /// <summary>Writes a sysfs attribute in place (sysfs files cannot be replaced by a rename).</summary>
    void WriteAttribute(string absolute, string value);

    /// <summary>Replaces a file atomically (<see cref="Files.AtomicFile"/>: temporary file, fsync, rename, directory fsync) unless it already holds <paramref name="content"/>.</summary>
    /// <returns>Whether the file changed.</returns>
    bool WriteFileIfChanged(string absolute, string content, UnixFileMode mode);

    /// <summary>Gives a file or directory an owner, group and mode by syscalls (no chown or chmod process).</summary>
    void SetAccess(string absolute, uint ownerId, uint groupId, UnixFileMode mode);

    /// <summary>Removes a file durably; a missing file is fine.</summary>
    void DeleteFile(string absolute);

    /// <summary>Creates a directory and its parents if missing.</summary>
    void CreateDirectory(string absolute);
}
