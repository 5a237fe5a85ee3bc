using RamDax.Provision.Files;

namespace RamDax.Provision.Machine;

/// <summary>
/// The directory every read of the machine happens under, like <c>systemctl --root</c>: <c>/</c> on
/// a host, a tree of captured files in tests, a mounted image for image builders.
/// </summary>
public sealed class MachineRoot(string path)
{
    /// <summary>The real root.</summary>
    public static MachineRoot Host { get; } = new("/");

    /// <summary>The directory that stands for <c>/</c>.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The real path of <paramref name="absolute"/> (written as on the machine, e.g. <c>/proc/cmdline</c>).</summary>
    public string Resolve(string absolute) => System.IO.Path.Join(Path, absolute.TrimStart('/'));

    /// <summary>Whether this is the real root, where a symbolic link means what it says.</summary>
    public bool IsHost => Path == "/";

    /// <summary>
    /// The real path to write <paramref name="absolute"/> at, which never leaves the root: under
    /// <c>--root</c> every component is resolved inside it as openat2's RESOLVE_IN_ROOT does (an
    /// image's <c>/var/run -> /run</c>, or a link to <c>/etc/...</c>, means the image's own, and
    /// <c>..</c> stops at the root), so no symbolic link in an image can make the agent write on
    /// the build host. On the host itself it is the path as written. A link loop is an error naming the path.
    /// </summary>
    public string ResolveForWrite(string absolute) =>
        ResolveInRoot(absolute, (path, reason) => new MachineWriteRefusedException(path, reason));

    /// <summary>
    /// The real path to read <paramref name="absolute"/> at: under <c>--root</c> resolved inside the
    /// root as <see cref="ResolveForWrite"/> does, so an image's link to <c>/etc/...</c> reads the
    /// image's file, never the build host's; on the host the path as written.
    /// </summary>
    public string ResolveForRead(string absolute) =>
        ResolveInRoot(absolute, (path, reason) => new MachineReadException(path, new IOException(reason), reason));

    private string ResolveInRoot(string absolute, Func<string, string, ProvisionException> linkLoop)
    {
        if (IsHost)
        {
            return Resolve(absolute);
        }

        const int MaxLinks = 40; // the kernel's own limit (ELOOP)
        var resolved = new List<string>();
        var pending = new Stack<string>(absolute.Split('/').Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var here = System.IO.Path.Join(Path, string.Join('/', resolved), part);
            if (new FileInfo(here).LinkTarget is not { } target)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw linkLoop(Resolve(absolute), $"more than {MaxLinks} symbolic links on the way (a link loop?); fix or remove the links below {Path}");
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear(); // an absolute target means the root's own /, not the host's
            }

            foreach (var step in target.Split('/').Reverse())
            {
                pending.Push(step);
            }
        }

        return System.IO.Path.Join(Path, string.Join('/', resolved));
    }

    /// <summary>
    /// Reads a whole file (a regular file of at most <see cref="BoundedFile.DefaultLimit"/>; never
    /// blocks on a FIFO or device); a missing or unreadable file is an error naming the path.
    /// </summary>
    public string ReadText(string absolute) => TryReadText(absolute) ?? throw new MachineReadException(ResolveForRead(absolute), new FileNotFoundException());

    /// <summary>Reads a file if it exists; null when it does not; anything else that stops the read is an error.</summary>
    public string? TryReadText(string absolute)
    {
        var path = ResolveForRead(absolute);
        try
        {
            return BoundedFile.ReadText(path);
        }
        catch (UnreadableFileException e) when (e.Missing)
        {
            return null;
        }
        catch (UnreadableFileException e)
        {
            throw new MachineReadException(path, e, e.Reason);
        }
    }

    /// <summary>Whether anything (file, directory, FIFO...) is at <paramref name="absolute"/>.</summary>
    public bool Exists(string absolute) => Probe(absolute, System.IO.Path.Exists);

    public bool FileExists(string absolute) => Probe(absolute, File.Exists);

    public bool DirectoryExists(string absolute) => Probe(absolute, Directory.Exists);

    // A path behind a link loop is not there, as File.Exists says of a loop on the host.
    private bool Probe(string absolute, Func<string, bool> exists)
    {
        try
        {
            return exists(ResolveForRead(absolute));
        }
        catch (MachineReadException)
        {
            return false;
        }
    }

    /// <summary>The names (not paths) of the entries of a directory; a missing directory is an error.</summary>
    public IReadOnlyList<string> ListNames(string absolute)
    {
        var path = ResolveForRead(absolute);
        try
        {
            return Directory.EnumerateFileSystemEntries(path)
                .Select(p => System.IO.Path.GetFileName(p))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineReadException(path, e);
        }
    }
}
