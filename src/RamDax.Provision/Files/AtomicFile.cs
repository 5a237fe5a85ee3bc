using System.Runtime.InteropServices;
using System.Text;

namespace RamDax.Provision.Files;

/// <summary>
/// Writes files so that a crash or power cut leaves either the old or the new content, never a
/// torn one: a temporary file in the same directory, fsync, rename over the target, fsync the
/// directory so the rename itself is durable.
/// </summary>
public static partial class AtomicFile
{
    private const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>; keeps the old file's mode, else 0644.</summary>
    public static void Write(string path, string content, UnixFileMode? mode = null)
    {
        var directory = Path.GetDirectoryName(path) ?? "/";
        Directory.CreateDirectory(directory);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the agent changes Linux machines only");
        }

        var keptMode = mode ?? (File.Exists(path) ? File.GetUnixFileMode(path) : DefaultMode);
        var temporary = Path.Join(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = keptMode,
            }))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temporary, keptMode);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        SyncDirectory(directory);
    }

    /// <summary>Removes <paramref name="path"/> durably; a missing file is fine.</summary>
    public static void Delete(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        File.Delete(path);
        SyncDirectory(Path.GetDirectoryName(path) ?? "/");
    }

    /// <summary>Puts a file back as it was: its old content, or absent when it did not exist.</summary>
    public static void Restore(string path, string? previousContent)
    {
        if (previousContent is null)
        {
            Delete(path);
        }
        else
        {
            Write(path, previousContent);
        }
    }

    // .NET cannot open a directory as a stream, so the directory fsync goes to libc directly.
    private static void SyncDirectory(string directory)
    {
        const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux
        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0)
        {
            return; // best effort: the rename is done; only its durability across a power cut is weaker
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
