using System.Text;

namespace RamDax.Provision.Output;

/// <summary>
/// Where the agent's messages go under systemd. systemd sets <c>JOURNAL_STREAM=DEVICE:INODE</c>
/// for a unit whose stdout or stderr is connected to the journal; when one of them is that
/// socket, lines get their syslog priority as a <c>&lt;N&gt;</c> prefix (journald reads it) and
/// the events an operator alerts on are also sent as entries of the native protocol, with a
/// MESSAGE_ID and fields naming the item and its state. <c>NOTIFY_SOCKET</c> (set with
/// <c>NotifyAccess=</c>) gets <c>STATUS=</c> while the agent works. Anywhere else, plain lines.
/// </summary>
public sealed class Journal(bool stdoutIsJournal, bool stderrIsJournal, string? journalSocket, string? notifySocket)
{
    public const string DefaultSocket = "/run/systemd/journal/socket";

    /// <summary>A journal that is not there: plain lines, no entries, no notifications.</summary>
    public static Journal None { get; } = new(false, false, null, null);

    public bool StdoutIsJournal => stdoutIsJournal;

    public bool StderrIsJournal => stderrIsJournal;

    /// <summary>What this process's environment and file descriptors say.</summary>
    public static Journal FromEnvironment()
    {
        var stream = Environment.GetEnvironmentVariable("JOURNAL_STREAM");
        var stdout = IsStream(stream, FdLink(1));
        var stderr = IsStream(stream, FdLink(2));
        return new Journal(stdout, stderr, stdout || stderr ? DefaultSocket : null, NullIfEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")));
    }

    /// <summary>
    /// Whether a descriptor whose <c>/proc/self/fd</c> link reads <paramref name="fdLink"/>
    /// (<c>socket:[INODE]</c>) is the stream <paramref name="journalStream"/> names.
    /// </summary>
    public static bool IsStream(string? journalStream, string? fdLink)
    {
        if (string.IsNullOrEmpty(journalStream) || fdLink is null)
        {
            return false;
        }

        var inode = journalStream[(journalStream.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return inode.Length > 0 && fdLink == $"socket:[{inode}]";
    }

    /// <summary>Sends <paramref name="entry"/> through the native protocol; false when there is no journal or it did not take it.</summary>
    public bool Send(JournalEntry entry) => journalSocket is not null && UnixDatagram.TrySend(journalSocket, entry.Encode());

    /// <summary>Tells systemd what the agent is doing (<c>systemctl status</c> shows it).</summary>
    public void Status(string status)
    {
        if (notifySocket is not null)
        {
            UnixDatagram.TrySend(notifySocket, Encoding.UTF8.GetBytes("STATUS=" + status.ReplaceLineEndings(" ")));
        }
    }

    private static string? FdLink(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
