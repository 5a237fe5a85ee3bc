using System.Globalization;
using System.Text;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;
using RamDax.Provision.Status;

namespace RamDax.Provision.Output;

/// <summary>
/// Fleet metrics for node-exporter's textfile collector: the state of every item of this boot,
/// the carved, namespaced and unassigned bytes, whether a reboot is pending, the last run's time
/// and result and this boot's cold-boot recreations, in the Prometheus text format. Written,
/// replaced whole, after every <c>apply</c> when the collector's directory exists (the
/// configuration's <c>metrics.textfile</c>, by default Debian's node-exporter directory).
/// </summary>
public static class PrometheusTextfile
{
    /// <summary>
    /// Where the agent notes the textfile it wrote, so that purging the package removes that file
    /// too (the configuration naming it is gone by then) and no stale metrics stay exported.
    /// </summary>
    public const string RecordPath = "/var/lib/ramdax-provision/metrics-textfile";

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes the textfile at <paramref name="path"/> under <paramref name="root"/> when its directory exists; returns the path, or null.</summary>
    public static string? WriteIfCollected(MachineRoot root, string path, StatusReport status, Plan? plan)
    {
        if (!root.DirectoryExists(System.IO.Path.GetDirectoryName(path) ?? "/"))
        {
            return null;
        }

        AtomicFile.Write(root.ResolveForWrite(RecordPath), path + "\n", Readable);
        AtomicFile.Write(root.ResolveForWrite(path), Render(status, plan), Readable);
        return path;
    }

    public static string Render(StatusReport status, Plan? plan)
    {
        var text = new StringBuilder();
        var items = status.Reconcile?.Items.Where(i => i.Planned).ToList() ?? [];
        Family(text, "ramdax_provision_item_state", "State of each planned item of this boot (1 for the state it is in).",
            items.Select(i => (Labels(("kind", i.Kind.Word()), ("name", i.Name), ("state", i.State.Word())), 1.0)));
        Family(text, "ramdax_provision_items_not_in_place", "Planned items of this boot that are not in place.",
            [("", items.Count(i => !i.InPlace))]);

        var carved = plan?.Carveouts.Aggregate(0UL, (sum, c) => sum + c.Size) ?? 0;
        var available = plan?.Carveouts.Aggregate(0UL, (sum, c) => sum + c.Available) ?? 0;
        var assigned = plan?.Namespaces.Aggregate(0UL, (sum, n) => sum + n.Size) ?? 0;
        Family(text, "ramdax_provision_carved_bytes", "RAM carved out with memmap= by the recorded plan.", [("", carved)]);
        Family(text, "ramdax_provision_namespace_bytes", "Bytes of the carve-outs given to namespaces by the recorded plan.", [("", assigned)]);
        Family(text, "ramdax_provision_unassigned_bytes", "Bytes of the carve-outs usable by namespaces but given to none.", [("", available > assigned ? available - assigned : 0)]);

        var reboot = status.KernelArguments.Reboot;
        Family(text, "ramdax_provision_reboot_pending", "1 when the boot configuration has kernel arguments the running kernel lacks.",
            [("", reboot is RebootState.Pending or RebootState.Requested || !status.KernelArguments.Missing.IsEmpty ? 1 : 0)]);

        if (status.LastRun is { } run)
        {
            Family(text, "ramdax_provision_last_run_timestamp_seconds", "When the last run started (Unix time).",
                [("", run.StartedAt.ToUnixTimeMilliseconds() / 1000.0)]);
            Family(text, "ramdax_provision_last_run_result", "The last run's result (1 for the result it had).",
                [(Labels(("result", run.Result.Word())), 1.0)]);
        }

        Family(text, "ramdax_provision_recreated_after_cold_boot", "Namespaces a cold boot emptied and this boot made again (their data is lost by design).",
            [("", status.Reconcile?.LostToColdBoot.Length ?? 0)]);
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (labels, value) in samples)
        {
            text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static string Labels(params (string Name, string Value)[] labels) =>
        "{" + string.Join(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    // The text format escapes backslash, double quote and newline in label values.
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
