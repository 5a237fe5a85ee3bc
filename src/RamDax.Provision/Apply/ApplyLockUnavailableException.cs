using RamDax.Provision.Machine;

namespace RamDax.Provision.Apply;

/// <summary>The lock file cannot be created or opened at all: something is in its way, said in words.</summary>
public sealed class ApplyLockUnavailableException : ProvisionException
{
    private const int LinkLoop = 40; // ELOOP; under --root the resolution inside the root finds it first

    private ApplyLockUnavailableException(string message, int exitCode, Exception inner)
        : base(message, exitCode, inner)
    {
    }

    /// <summary>What stopped the lock at <paramref name="path"/>, judged by the errno and by what is on the disk.</summary>
    public static ApplyLockUnavailableException Explain(string path, Exception e)
    {
        var errno = e is MachineWriteRefusedException ? LinkLoop : e is IOException ? e.HResult : 13;
        var (reason, code) = errno switch
        {
            LinkLoop => ($"{path} is a symbolic link loop; remove it (rm {path}) and run again", ExitCodes.CannotCreate),
            30 => ($"cannot create {path}: the file system is read-only; the agent needs {Path.GetDirectoryName(path)} writable (a tmpfs on /run)", ExitCodes.CannotCreate),
            28 or 122 => ($"cannot create {path}: no space left on the file system of {Path.GetDirectoryName(path)}; free some space and run again", ExitCodes.IoError),
            _ => ByWhatIsThere(path, errno),
        };
        return new ApplyLockUnavailableException($"cannot take the run lock: {reason}", code, e);
    }

    private static (string, int) ByWhatIsThere(string path, int errno)
    {
        if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            return ($"{path} is a directory where the lock file belongs; remove it (rmdir {path}) and run again", ExitCodes.CannotCreate);
        }

        if (FileInAPlaceOfADirectory(path) is { } file)
        {
            return ($"{file} is a file where a directory belongs on the way to {path}; move it away and run again", ExitCodes.CannotCreate);
        }

        return errno switch
        {
            13 or 1 => ($"cannot create {path}: permission denied; run as root", ExitCodes.CannotCreate),
            17 or 20 or 21 => ($"cannot create {path}: something else is in the way; look at it (ls -ld {path}) and remove it", ExitCodes.CannotCreate),
            _ => ($"cannot create {path}: I/O error {errno}", ExitCodes.IoError),
        };
    }

    // The nearest existing ancestor that is not a directory, if there is one.
    private static string? FileInAPlaceOfADirectory(string path)
    {
        for (var parent = Path.GetDirectoryName(path); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
            {
                return null;
            }

            if (Path.Exists(parent) || new FileInfo(parent).LinkTarget is not null)
            {
                return parent;
            }
        }

        return null;
    }
}
