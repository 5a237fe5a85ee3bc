using RamDax.Provision.Machine;

namespace RamDax.Provision.Apply;

/// <summary>
/// One run at a time: an exclusive lock on <c>/run/ramdax-provision/lock</c> (FileShare.None is a
/// flock on Linux, so it dies with the process and never needs cleaning up).
/// </summary>
public sealed class ApplyLock : IDisposable
{
    public const string LockPath = "/run/ramdax-provision/lock";

    private readonly FileStream _stream;

    private ApplyLock(FileStream stream) => _stream = stream;

    public static ApplyLock Acquire(MachineRoot root)
    {
        var path = root.Resolve(LockPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new ApplyLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new ApplyBusyException(path);
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>Another run holds the lock.</summary>
public sealed class ApplyBusyException(string path)
    : ProvisionException($"another ramdax-provision run holds {path}; wait for it to finish (systemctl status ramdax-provision) and try again", ExitCodes.Busy);
