using System.ComponentModel;
using System.Runtime.InteropServices;

namespace RamDax.Provision.Files;

/// <summary>A file's owner, group and permission bits, as statx(2) reports them.</summary>
public sealed partial record FileOwnership(uint OwnerId, uint GroupId, UnixFileMode Mode)
{
    private const int StatxBasicStats = 0x7ff;
    private const int UidOffset = 20;
    private const int GidOffset = 24;
    private const int ModeOffset = 28;
    private const UnixFileMode PermissionBits = (UnixFileMode)0xfff;

    /// <summary>Reads the path's (following a symbolic link, as a /dev node's users see it).</summary>
    public static FileOwnership Read(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(-100, path, 0, StatxBasicStats, ref buffer[0]) != 0)
        {
            throw new IOException($"{new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }

        return new FileOwnership(
            MemoryMarshal.Read<uint>(buffer[UidOffset..]),
            MemoryMarshal.Read<uint>(buffer[GidOffset..]),
            (UnixFileMode)MemoryMarshal.Read<ushort>(buffer[ModeOffset..]) & PermissionBits);
    }

    /// <summary>Gives the path this owner, group and mode: chown(2), then chmod(2), no process.</summary>
    public static void Set(string path, uint ownerId, uint groupId, UnixFileMode mode)
    {
        if (Chown(path, ownerId, groupId) != 0)
        {
            throw new IOException($"chown {ownerId}:{groupId} {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("file owners are a Unix notion");
        }

        // After chown: chown clears the set-user-ID and set-group-ID bits a mode may ask for.
        File.SetUnixFileMode(path, mode);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);
}
