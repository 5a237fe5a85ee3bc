using RamDax.Provision.Machine;

namespace RamDax.Provision.Apply;

/// <summary>
/// One run at a time: an exclusive lock on <c>/run/ramdax-provision/lock</c> (FileShare.None is a
/// flock on Linux, so it dies with the process and never needs cleaning up). Only a flock another
/// open file holds is "busy"; anything else in the way of the lock file (a link loop, a directory,
/// a read-only or full file system) is said as what it is, with what to do.
/// </summary>
public sealed class ApplyLock : IDisposable
{
    public const string LockPath = "/run/ramdax-provision/lock";

    // .NET reports a refused flock(LOCK_EX | LOCK_NB) as an IOException carrying EWOULDBLOCK.
    private const int WouldBlock = 11;

    private readonly FileStream _stream;

    private ApplyLock(FileStream stream) => _stream = stream;

    public static ApplyLock Acquire(MachineRoot root)
    {
        string path;
        try
        {
            path = root.ResolveForWrite(LockPath);
        }
        catch (MachineWriteRefusedException e)
        {
            throw ApplyLockUnavailableException.Explain(root.Resolve(LockPath), e);
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new ApplyLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e.HResult == WouldBlock)
        {
            throw new ApplyBusyException(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ApplyLockUnavailableException.Explain(path, e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
