using RamDax.Provision.Files;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile;

/// <summary>Writes under a <see cref="MachineRoot"/>; failures name the path.</summary>
public sealed class MachineWriter(MachineRoot root) : IMachineWriter
{
    public void WriteAttribute(string absolute, string value)
    {
        var path = root.ResolveForWrite(absolute);
        try
        {
            // One write() call, no truncation games: sysfs takes the value of a single write.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            var bytes = System.Text.Encoding.ASCII.GetBytes(value);
            stream.Write(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineWriteException(path, e);
        }
    }

    public bool WriteFileIfChanged(string absolute, string content, UnixFileMode mode)
    {
        var path = root.ResolveForWrite(absolute);
        try
        {
            if (File.Exists(path) && File.ReadAllText(path) == content)
            {
                return false;
            }

            AtomicFile.Write(path, content, mode);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            throw new MachineWriteException(path, e);
        }
    }

    public void SetAccess(string absolute, uint ownerId, uint groupId, UnixFileMode mode)
    {
        var path = root.ResolveForWrite(absolute);
        try
        {
            FileOwnership.Set(path, ownerId, groupId, mode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineWriteException(path, e);
        }
    }

    public void DeleteFile(string absolute)
    {
        var path = root.ResolveForWrite(absolute);
        try
        {
            AtomicFile.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineWriteException(path, e);
        }
    }

    public void CreateDirectory(string absolute)
    {
        var path = root.ResolveForWrite(absolute);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineWriteException(path, e);
        }
    }
}
