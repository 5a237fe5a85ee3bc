namespace RamDax.Provision.Configuration;

/// <summary>
/// Where a DAX filesystem may be mounted. A mount hides what was below it and the agent makes the
/// mount point world-writable when asked, so a path over <c>/</c>, <c>/etc</c> or the agent's own
/// state would break or take over the machine. A path must be absolute and plain (no <c>.</c>,
/// <c>..</c>, empty components or control characters) and lie strictly below one of the allowed
/// prefixes; the image can add prefixes with <c>mount_prefixes:</c>, but never one that is, or
/// holds, a directory the system or the agent lives in.
/// </summary>
public static class MountPathRules
{
    /// <summary>The prefixes allowed without any configuration.</summary>
    public static readonly IReadOnlyList<string> BuiltInPrefixes = ["/mnt", "/srv", "/media", "/opt", "/data", "/var/lib"];

    // Never a mount point and never below one, whatever mount_prefixes says.
    private static readonly string[] AgentDirectories = ["/etc/ramdax-provision", "/var/lib/ramdax-provision", "/run/ramdax-provision"];

    // Never a mount point themselves, nor an allowed prefix; below them only under an allowed prefix.
    private static readonly string[] SystemDirectories =
    [
        "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run",
        "/sbin", "/sys", "/tmp", "/usr", "/var", "/var/lib", "/var/log", "/var/cache", "/var/tmp", "/var/spool",
        "/var/lib/dpkg", "/var/lib/apt", "/var/lib/systemd", "/var/lib/cloud", "/var/lib/ucf", "/var/lib/dbus",
        "/var/lib/polkit-1", "/var/lib/private", "/var/lib/rpm", "/var/lib/dnf", "/var/lib/snapd",
    ];

    /// <summary>
    /// The normalised path (one trailing <c>/</c> dropped), or null with <paramref name="error"/>
    /// saying what is wrong and what to write instead.
    /// </summary>
    public static string? Check(string path, IReadOnlyList<string> prefixes, out string? error)
    {
        if (Plain(path, out error) is not { } normal)
        {
            return null;
        }

        if (normal == "/")
        {
            error = "'/' is the root filesystem; mount below an allowed directory (like /mnt/fast)";
            return null;
        }

        if (SystemDirectories.Contains(normal, StringComparer.Ordinal))
        {
            error = $"'{normal}' is a system directory; mounting over it hides what the system needs there; choose a path like /mnt/fast";
            return null;
        }

        if (AgentDirectories.FirstOrDefault(d => Within(normal, d) || Within(d, normal)) is { } own)
        {
            error = $"'{normal}' would cover {own}, where the agent keeps its own files; choose a path like /mnt/fast";
            return null;
        }

        // Below a prefix, and not inside a system directory that sits below that prefix (/var/lib/dpkg).
        if (!prefixes.Any(p => normal.StartsWith(p + "/", StringComparison.Ordinal)
            && !SystemDirectories.Any(d => d != p && Within(d, p) && Within(normal, d))))
        {
            error = $"'{normal}' is not below an allowed directory ({string.Join(", ", prefixes)}); choose one of those, "
                + "or allow another in the image's /etc/ramdax-provision/config.yaml with mount_prefixes: [/your/dir]";
            return null;
        }

        return normal;
    }

    /// <summary>Whether <paramref name="prefix"/> may be added with <c>mount_prefixes:</c>; null when it may.</summary>
    public static string? CheckPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return "an empty entry; give an absolute directory such as /srv/dax or remove the entry";
        }

        if (Plain(prefix, out var error) is not { } normal)
        {
            return error;
        }

        if (normal == "/" || SystemDirectories.Contains(normal, StringComparer.Ordinal)
            || AgentDirectories.Any(d => Within(normal, d) || Within(d, normal)))
        {
            return $"'{normal}' is the root, a system directory or the agent's own; a prefix must be a directory of its own, like /data/fast";
        }

        return null;
    }

    /// <summary>
    /// The nearest directory above the plain path <paramref name="path"/> that is a key of
    /// <paramref name="taken"/>, or null: one walk up its components, so checking every mount
    /// against all the others stays linear in their number.
    /// </summary>
    public static string? TakenAbove<T>(string path, IReadOnlyDictionary<string, T> taken)
    {
        for (var up = path[..Math.Max(0, path.LastIndexOf('/'))]; up.Length > 0; up = up[..Math.Max(0, up.LastIndexOf('/'))])
        {
            if (taken.ContainsKey(up))
            {
                return up;
            }
        }

        return taken.ContainsKey("/") && path != "/" ? "/" : null;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or below it.</summary>
    public static bool Within(string path, string directory) =>
        path == directory || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string? Plain(string path, out string? error) => PlainPath(path, "a mount path", "/mnt/fast", out error);

    /// <summary>
    /// <paramref name="path"/> as a plain absolute path (one trailing <c>/</c> dropped), or null with
    /// <paramref name="error"/> saying what is wrong: control characters, a relative path, an empty,
    /// <c>.</c> or <c>..</c> component. <paramref name="what"/> names the path in the error and
    /// <paramref name="example"/> shows a good one.
    /// </summary>
    public static string? PlainPath(string path, string what, string example, out string? error)
    {
        error = null;
        if (path.Any(char.IsControl))
        {
            error = $"{what} cannot hold control characters (newline, tab, NUL)";
            return null;
        }

        if (path.Contains("//", StringComparison.Ordinal))
        {
            error = $"'{path}' has an empty component ('//'); write the plain path (like {example})";
            return null;
        }

        if (!path.StartsWith('/'))
        {
            error = $"'{path}' is not an absolute path; write one like {example}";
            return null;
        }

        var normal = path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;
        if (normal == "/")
        {
            return normal;
        }

        foreach (var part in normal[1..].Split('/'))
        {
            if (part is "" or "." or "..")
            {
                error = $"'{path}' has an empty, '.' or '..' component; write the plain path (like {example})";
                return null;
            }
        }

        return normal;
    }
}
