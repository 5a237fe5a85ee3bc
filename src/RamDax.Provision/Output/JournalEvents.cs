using RamDax.Provision.Apply;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;

namespace RamDax.Provision.Output;

/// <summary>
/// The journal entries, with MESSAGE_IDs, of the events an operator alerts on; built from the
/// run's report and this run's reconcile report, the same facts <c>status</c> shows.
/// </summary>
public static class JournalEvents
{
    public const int Error = 3;
    public const int Warning = 4;
    public const int Notice = 5;

    /// <summary>The entries for one apply run. <paramref name="reconcile"/> is the report this run wrote, or null.</summary>
    public static IReadOnlyList<JournalEntry> Of(ApplyReport report, ReconcileReport? reconcile)
    {
        var entries = new List<JournalEntry>();
        if (report.Result == RunResult.Rebooting)
        {
            entries.Add(new JournalEntry($"reboot requested to make the kernel arguments live: {report.Message}", Notice,
                [Field("MESSAGE_ID", JournalMessageIds.RebootRequested), Field("RAMDAX_PROVISION_RESULT", RunResult.Rebooting.Word())]));
        }

        foreach (var item in reconcile?.Items.Where(i => i.Planned) ?? [])
        {
            var (id, priority, what) = item switch
            {
                { State: ItemState.RecreatedAfterColdBoot } => (JournalMessageIds.RecreatedAfterColdBoot, Warning, "recreated after a cold boot, empty (its data was lost with the power, by design)"),
                { State: ItemState.Drifted } => (JournalMessageIds.Drifted, Warning, "drifted from the plan and left alone"),
                // The mount stage has no state of its own for this; its reason says "without DAX" / "without dax=always".
                { Kind: ItemKind.Mount, State: ItemState.Failed } when item.Reason.Contains("without dax", StringComparison.OrdinalIgnoreCase)
                    => (JournalMessageIds.MountWithoutDax, Error, "mounted without DAX"),
                _ => (null, 0, ""),
            };
            if (id is null)
            {
                continue;
            }

            var kind = item.Kind.Word();
            entries.Add(new JournalEntry($"{kind} {item.Name}: {what}: {item.Reason}", priority,
            [
                Field("MESSAGE_ID", id),
                Field("RAMDAX_PROVISION_KIND", kind),
                Field("RAMDAX_PROVISION_NAME", item.Name),
                Field("RAMDAX_PROVISION_TARGET", item.Target ?? ""),
                Field("RAMDAX_PROVISION_STATE", item.State.Word()),
                Field("RAMDAX_PROVISION_REASON", item.Reason),
            ]));
        }

        return entries;
    }

    /// <summary>The entry for a refused plan (exit 3).</summary>
    public static JournalEntry PlanRefused(string message) =>
        new(message, Error, [Field("MESSAGE_ID", JournalMessageIds.PlanRefused), Field("RAMDAX_PROVISION_RESULT", "plan_refused")]);

    private static KeyValuePair<string, string> Field(string key, string value) => new(key, value);
}
