using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using RamDax.Provision.Apply;
using RamDax.Provision.Cli;
using RamDax.Provision.Output;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Output;

/// <summary>The journal's native protocol and sd_notify, against real Unix datagram sockets in a temporary directory.</summary>
public sealed class JournalTests : IDisposable
{
    private readonly TempRoot _dir = new("ramdax-journal-");
    private readonly Socket _journal;
    private readonly Socket _notify;

    public JournalTests()
    {
        _journal = Bind("journal.socket");
        _notify = Bind("notify.socket");
    }

    private string JournalPath => Path.Join(_dir.Path, "journal.socket");

    private string NotifyPath => Path.Join(_dir.Path, "notify.socket");

    private Journal Journal => new(stdoutIsJournal: true, stderrIsJournal: true, JournalPath, NotifyPath);

    public void Dispose()
    {
        _journal.Dispose();
        _notify.Dispose();
        _dir.Dispose();
    }

    private Socket Bind(string name)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Join(_dir.Path, name)));
        socket.ReceiveTimeout = 2000;
        return socket;
    }

    private static byte[] Receive(Socket socket)
    {
        var buffer = new byte[65536];
        var length = socket.Receive(buffer);
        return buffer[..length];
    }

    private static bool Pending(Socket socket) => socket.Poll(100_000, SelectMode.SelectRead);

    /// <summary>Reads a native-protocol datagram the way journald does (both field forms).</summary>
    private static Dictionary<string, string> Decode(byte[] datagram)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while (at < datagram.Length)
        {
            var end = Array.IndexOf(datagram, (byte)'\n', at);
            var equals = Array.IndexOf(datagram, (byte)'=', at, end - at);
            if (equals >= 0)
            {
                fields[Encoding.ASCII.GetString(datagram, at, equals - at)] = Encoding.UTF8.GetString(datagram, equals + 1, end - equals - 1);
                at = end + 1;
                continue;
            }

            var key = Encoding.ASCII.GetString(datagram, at, end - at);
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(datagram.AsSpan(end + 1, 8));
            fields[key] = Encoding.UTF8.GetString(datagram, end + 9, length);
            Assert.Equal((byte)'\n', datagram[end + 9 + length]);
            at = end + 10 + length;
        }

        return fields;
    }

    [Fact]
    public void An_entry_reaches_the_journal_socket_with_its_priority_identifier_and_fields()
    {
        var entry = new JournalEntry("namespace db: drifted", 4, [new("MESSAGE_ID", JournalMessageIds.Drifted), new("RAMDAX_PROVISION_NAME", "db")]);

        Assert.True(Journal.Send(entry));
        var fields = Decode(Receive(_journal));

        Assert.Equal("namespace db: drifted", fields["MESSAGE"]);
        Assert.Equal("4", fields["PRIORITY"]);
        Assert.Equal("ramdax-provision", fields["SYSLOG_IDENTIFIER"]);
        Assert.Equal("ff8f9c9568234bed81391d0c450bcb90", fields["MESSAGE_ID"]);
        Assert.Equal("db", fields["RAMDAX_PROVISION_NAME"]);
    }

    [Fact]
    public void A_value_with_a_newline_is_sent_with_its_length()
    {
        var reason = "mkfs.xfs said:\nagsize too small";

        Assert.True(Journal.Send(new JournalEntry("failed", 3, [new("RAMDAX_PROVISION_REASON", reason)])));
        var datagram = Receive(_journal);

        Assert.Equal(reason, Decode(datagram)["RAMDAX_PROVISION_REASON"]);
        byte[] binaryForm = [.. "RAMDAX_PROVISION_REASON\n"u8, .. BitConverter.GetBytes((ulong)Encoding.UTF8.GetByteCount(reason))];
        Assert.True(datagram.AsSpan().IndexOf(binaryForm) >= 0, "the field is not in its binary form");
    }

    [Fact]
    public void A_field_name_the_journal_would_reject_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => new JournalEntry("x", 6, [new("lower", "x")]).Encode());
        Assert.Throws<ArgumentException>(() => new JournalEntry("x", 6, [new("_TRUSTED", "x")]).Encode());
    }

    [Fact]
    public void Without_a_journal_nothing_is_sent_and_nothing_fails()
    {
        Assert.False(Provision.Output.Journal.None.Send(new JournalEntry("x", 6)));
        Assert.False(new Journal(true, true, Path.Join(_dir.Path, "absent.socket"), null).Send(new JournalEntry("x", 6)));
        Provision.Output.Journal.None.Status("nothing listens");
    }

    [Theory]
    [InlineData("8:4093217", "socket:[4093217]", true)]
    [InlineData("8:4093217", "socket:[4093218]", false)]
    [InlineData("8:4093217", "/dev/pts/0", false)]
    [InlineData(null, "socket:[4093217]", false)]
    [InlineData("8:4093217", null, false)]
    public void A_descriptor_is_the_journal_when_its_socket_is_the_one_JOURNAL_STREAM_names(string? stream, string? link, bool expected) =>
        Assert.Equal(expected, Provision.Output.Journal.IsStream(stream, link));

    [Fact]
    public void Each_line_gets_its_priority_and_becomes_the_units_status()
    {
        var stdout = new StringWriter();
        using (var writer = new JournalLineWriter(stdout, Journal, priorityPrefix: true, reportStatus: true))
        {
            writer.WriteLine("plan: carve-out 2G at 0x140000000 (memmap=2G!5G), driver ramdax");
            writer.Write("warning: no namespaces are configured;");
            writer.WriteLine(" the carve-out will be bound but stay empty");
            writer.WriteLine("[2/4] write the kernel arguments into the boot configuration: failed: update-grub exited 1");
            writer.WriteLine("error: reconcile: namespace 'a': failed");
            writer.WriteLine("reconcile: namespace 'a': failed: ndctl create-namespace exited with 237");
            writer.WriteLine("apply: rebooting: systemctl reboot requested");
            writer.WriteLine("apply: reboot_pending: reboot to make memmap=2G!5G live");
            writer.WriteLine("apply: failed: write the kernel arguments into the boot configuration failed");
            writer.WriteLine("apply: converged");
        }

        Assert.Equal(
            [
                "<6>plan: carve-out 2G at 0x140000000 (memmap=2G!5G), driver ramdax",
                "<4>warning: no namespaces are configured; the carve-out will be bound but stay empty",
                "<3>[2/4] write the kernel arguments into the boot configuration: failed: update-grub exited 1",
                "<3>error: reconcile: namespace 'a': failed",
                "<6>reconcile: namespace 'a': failed: ndctl create-namespace exited with 237",
                "<5>apply: rebooting: systemctl reboot requested",
                "<5>apply: reboot_pending: reboot to make memmap=2G!5G live",
                "<3>apply: failed: write the kernel arguments into the boot configuration failed",
                "<6>apply: converged",
            ],
            stdout.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Equal("STATUS=plan: carve-out 2G at 0x140000000 (memmap=2G!5G), driver ramdax", Encoding.UTF8.GetString(Receive(_notify)));
        Assert.Equal("STATUS=warning: no namespaces are configured; the carve-out will be bound but stay empty", Encoding.UTF8.GetString(Receive(_notify)));
    }

    [Fact]
    public void Off_the_journal_the_lines_are_plain_and_no_status_is_sent()
    {
        var stdout = new StringWriter();
        using (var writer = new JournalLineWriter(stdout, Provision.Output.Journal.None, priorityPrefix: false, reportStatus: true))
        {
            writer.WriteLine("warning: plain");
        }

        Assert.Equal("warning: plain\n", stdout.ToString().ReplaceLineEndings("\n"));
        Assert.False(Pending(_notify));
    }

    [Fact]
    public void The_events_an_operator_alerts_on_get_their_message_ids_and_name_the_item()
    {
        var report = new ReconcileReport(DriverKind.Ramdax, DateTimeOffset.UnixEpoch,
        [
            new ReconcileItem(ItemKind.Namespace, "db", "namespace0.0", ItemState.RecreatedAfterColdBoot, "region0 came back blank: made again"),
            new ReconcileItem(ItemKind.Namespace, "guests", "namespace0.1", ItemState.Drifted, "it is devdax 1G, planned devdax 2G"),
            new ReconcileItem(ItemKind.Mount, "db", "/srv/db", ItemState.Failed, "/dev/pmem0 mounted at /srv/db without DAX (super options: rw); stopped srv-db.mount"),
            new ReconcileItem(ItemKind.Filesystem, "db", "/dev/pmem0", ItemState.Ok, "ext4 db"),
            new ReconcileItem(ItemKind.Namespace, "stray", "namespace0.3", ItemState.Drifted, "not in the plan", Planned: false),
        ]);

        var entries = JournalEvents.Of(new ApplyReport(RunResult.Failed, "not in place", 1, []), report);

        Assert.Equal([JournalMessageIds.RecreatedAfterColdBoot, JournalMessageIds.Drifted, JournalMessageIds.MountWithoutDax], entries.Select(e => e["MESSAGE_ID"]));
        Assert.Equal([4, 4, 3], entries.Select(e => e.Priority));
        Assert.Equal(("namespace", "db", "namespace0.0", "recreated_after_cold_boot"),
            (entries[0]["RAMDAX_PROVISION_KIND"], entries[0]["RAMDAX_PROVISION_NAME"], entries[0]["RAMDAX_PROVISION_TARGET"], entries[0]["RAMDAX_PROVISION_STATE"]));
        Assert.Equal("mount db: mounted without DAX: /dev/pmem0 mounted at /srv/db without DAX (super options: rw); stopped srv-db.mount", entries[2].Message);
    }

    [Fact]
    public void A_requested_reboot_is_an_event()
    {
        var entry = Assert.Single(JournalEvents.Of(new ApplyReport(RunResult.Rebooting, "systemctl reboot requested", 0, []), null));

        Assert.Equal((JournalMessageIds.RebootRequested, 5), (entry["MESSAGE_ID"], entry.Priority));
    }

    [Fact]
    public void A_refused_plan_reaches_the_journal_with_its_message_id_and_exit_3()
    {
        var error = new StringWriter();

        var exit = CommandLineApp.Run(["plan", "--root", Fixtures.PathTo("roots/qemu-6G-memmap2G"), "--set", "carveout.size=8G"], new StringWriter(), error, Journal);
        var fields = Decode(Receive(_journal));

        Assert.Equal(ExitCodes.PlanRefused, exit);
        Assert.Equal(JournalMessageIds.PlanRefused, fields["MESSAGE_ID"]);
        Assert.Equal("3", fields["PRIORITY"]);
        Assert.StartsWith("ramdax-provision: the plan is refused: ", fields["MESSAGE"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_ids_are_distinct_128_bit_ids_and_the_manual_page_lists_each()
    {
        var ids = typeof(JournalMessageIds).GetFields().Select(f => (f.Name, Id: (string)f.GetValue(null)!)).ToList();
        var man = File.ReadAllText(Path.Join(Repository.Top, "templates/man/ramdax-provision.8"));

        Assert.Equal(5, ids.Select(i => i.Id).Distinct().Count());
        Assert.All(ids, i => Assert.Matches("^[0-9a-f]{32}$", i.Id));
        Assert.All(ids, i => Assert.Contains(i.Id, man, StringComparison.Ordinal));
    }
}
