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

    /// <summary>
    /// Reads a whole file (a regular file of at most <see cref="BoundedFile.DefaultLimit"/>; never
    /// blocks on a FIFO or device); a missing or unreadable file is an error naming the path.
    /// </summary>
    public string ReadText(string absolute) => TryReadText(absolute) ?? throw new MachineReadException(Resolve(absolute), new FileNotFoundException());

    /// <summary>Reads a file if it exists; null when it does not; anything else that stops the read is an error.</summary>
    public string? TryReadText(string absolute)
    {
        var path = Resolve(absolute);
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
    public bool Exists(string absolute) => System.IO.Path.Exists(Resolve(absolute));

    public bool FileExists(string absolute) => File.Exists(Resolve(absolute));

    public bool DirectoryExists(string absolute) => Directory.Exists(Resolve(absolute));

    /// <summary>The names (not paths) of the entries of a directory; a missing directory is an error.</summary>
    public IReadOnlyList<string> ListNames(string absolute)
    {
        var path = Resolve(absolute);
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
