using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace RamDax.Provision.Files;

/// <summary>
/// The one way the agent reads a file: a regular file only, and no more than a limit. A FIFO, a
/// device or a socket where a file is expected would block the first boot forever or feed it
/// without end, so the file is opened without blocking and its type checked on the open
/// descriptor (no race with a rename) before anything is read. The size the kernel reports is not
/// trusted (procfs and sysfs files say 0 or 4096), so the read itself stops at the limit.
/// </summary>
public static partial class BoundedFile
{
    /// <summary>The default limit: far above any file the agent reads, far below what would hurt.</summary>
    public const int DefaultLimit = 8 << 20;

    private const int ReadOnlyNonBlocking = 0x800 | 0x100 | 0x80000; // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH
    private const uint TypeMask = 0x1; // STATX_TYPE
    private const int ModeOffset = 28; // stx_mode in struct statx, the same on every architecture

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's bytes; throws <see cref="UnreadableFileException"/> saying why not.</summary>
    public static byte[] ReadBytes(string path, int limit = DefaultLimit)
    {
        var fd = Open(path, ReadOnlyNonBlocking);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new UnreadableFileException(path, Describe(errno), missing: errno is 2 or 20);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        CheckRegular(handle, path);
        var buffer = new byte[Math.Min(limit + 1, 64 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    throw new UnreadableFileException(path, $"larger than {FormatLimit(limit)}; this is not a file the agent wrote or expects");
                }

                Array.Resize(ref buffer, (int)Math.Min((long)limit + 1, (long)buffer.Length * 2));
            }

            int read;
            try
            {
                read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
            }
            catch (IOException e)
            {
                throw new UnreadableFileException(path, "read error (" + Describe(e.HResult & 0xffff) + ")");
            }

            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length > limit)
        {
            throw new UnreadableFileException(path, $"larger than {FormatLimit(limit)}; this is not a file the agent wrote or expects");
        }

        return buffer[..length];
    }

    /// <summary>The file as UTF-8 text (a byte order mark dropped); invalid UTF-8 is an error naming the byte.</summary>
    public static string ReadText(string path, int limit = DefaultLimit)
    {
        var bytes = ReadBytes(path, limit);
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            throw new UnreadableFileException(path, $"not UTF-8 text (an invalid byte at offset {start + Math.Max(e.Index, 0)})");
        }
    }

    private static void CheckRegular(SafeFileHandle handle, string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Statx((int)handle.DangerousGetHandle(), "", EmptyPath, TypeMask, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            throw new UnreadableFileException(path, Describe(Marshal.GetLastPInvokeError()));
        }

        var type = MemoryMarshal.Read<ushort>(buffer[ModeOffset..]) & 0xF000;

        var kind = type switch
        {
            0x8000 => null,
            0x4000 => "a directory",
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
        if (kind is not null)
        {
            throw new UnreadableFileException(path, $"{kind}, not a regular file");
        }
    }

    private static string Describe(int errno) => errno switch
    {
        2 => "no such file",
        20 => "a component of the path is not a directory",
        1 or 13 => "permission denied; run as root",
        40 => "too many levels of symbolic links (a link loop?)",
        5 => "input/output error",
        36 => "the name is too long",
        _ => $"error {errno}",
    };

    private static string FormatLimit(int limit) => limit >= 1 << 20 ? $"{limit >> 20} MiB" : $"{limit >> 10} KiB";

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
