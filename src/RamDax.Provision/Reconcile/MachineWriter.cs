using RamDax.Provision.Files;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile;

/// <summary>Writes under a <see cref="MachineRoot"/>; failures name the path.</summary>
public sealed class MachineWriter(MachineRoot root) : IMachineWriter
{
    // One write() call, no truncation games: sysfs takes the value of a single write.
    public void WriteAttribute(string absolute, string value) => At(absolute, path =>
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
        return true;
    });

    public bool WriteFileIfChanged(string absolute, string content, UnixFileMode mode) => At(absolute, path =>
    {
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return false;
        }

        AtomicFile.Write(path, content, mode);
        return true;
    });

    public void SetAccess(string absolute, uint ownerId, uint groupId, UnixFileMode mode) =>
        At(absolute, path => FileOwnership.Set(path, ownerId, groupId, mode));

    public void DeleteFile(string absolute) => At(absolute, AtomicFile.Delete);

    public void CreateDirectory(string absolute) => At(absolute, path => Directory.CreateDirectory(path));

    private void At(string absolute, Action<string> write) => At(absolute, path =>
    {
        write(path);
        return true;
    });

    // Resolves the path inside the root and turns a failure to write there into one naming it.
    private T At<T>(string absolute, Func<string, T> write)
    {
        var path = root.ResolveForWrite(absolute);
        try
        {
            return write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            throw new MachineWriteException(path, e);
        }
    }
}
