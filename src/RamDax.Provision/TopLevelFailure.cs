using System.Text.RegularExpressions;

namespace RamDax.Provision;

/// <summary>
/// The last line of defence: whatever a command throws becomes one message in words and a
/// documented exit code, never a stack trace. Errors the agent foresaw are
/// <see cref="ProvisionException"/>s with their own messages; the rest are file-system failures
/// (a full or read-only state directory, a directory where a file belongs) or defects.
/// </summary>
public static partial class TopLevelFailure
{
    /// <summary>Runs <paramref name="command"/>; any exception it lets out is reported on <paramref name="error"/>.</summary>
    public static int Run(Func<int> command, TextWriter error)
    {
        try
        {
            return command();
        }
#pragma warning disable CA1031 // the one place that must catch everything
        catch (Exception e)
#pragma warning restore CA1031
        {
            var (message, code) = Describe(e);
            error.WriteLine($"ramdax-provision: {message}");
            return code;
        }
    }

    /// <summary>The message and exit code for <paramref name="e"/>.</summary>
    public static (string Message, int ExitCode) Describe(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            e = aggregate.InnerExceptions[0];
        }

        return e switch
        {
            ProvisionException p => (p.Message, p.ExitCode),
            OperationCanceledException => ("stopped by a signal before it finished; run it again to carry on", ExitCodes.Interrupted),
            FileNotFoundException f => ($"no such file: {f.FileName ?? Words(f.Message)}", ExitCodes.InputMissing),
            DirectoryNotFoundException d => ($"cannot create a file: a directory on the way does not exist ({Words(d.Message)})", ExitCodes.CannotCreate),
            UnauthorizedAccessException u => ($"cannot create or open a file: permission denied, or a directory is where a file belongs ({Words(u.Message)}); run as root and check the path", ExitCodes.CannotCreate),
            PathTooLongException p => ($"a path is too long ({Words(p.Message)})", ExitCodes.CannotCreate),
            IOException io => ByErrno(io),
            OutOfMemoryException => ("out of memory", ExitCodes.IoError),
            _ => ($"internal error, please report it: {Words(e.Message)}", ExitCodes.Internal),
        };
    }

    // On Linux, .NET puts the errno in HResult for the I/O errors it has no exception type for,
    // and the message is the C library's strerror text with the path.
    private static (string, int) ByErrno(IOException e)
    {
        var text = Words(e.Message);
        return e.HResult switch
        {
            28 or 122 => ($"cannot write: no space left ({text}); free some space and run again", ExitCodes.IoError),
            5 or 27 => ($"cannot write: input/output error ({text})", ExitCodes.IoError),
            30 => ($"cannot write: the file system is read-only ({text}); the agent needs its state directory writable", ExitCodes.CannotCreate),
            20 or 21 or 17 or 40 => ($"cannot create a file where something else is in the way ({text})", ExitCodes.CannotCreate),
            _ => ($"I/O error: {text}", ExitCodes.IoError),
        };
    }

    // With system resource keys (a smaller NativeAOT binary) .NET messages start with a key such
    // as "IO_FileNotFound_FileName, "; keep what follows (the path), never the key.
    private static string Words(string message)
    {
        var stripped = ResourceKey().Replace(message, "").Trim();
        return stripped.Length == 0 ? "no detail" : stripped;
    }

    [GeneratedRegex(@"^[A-Za-z]+_[A-Za-z0-9_]+(, |$)")]
    private static partial Regex ResourceKey();
}
