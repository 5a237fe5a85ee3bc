using RamDax.Provision.Reconcile;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Output;

/// <summary>The reconcile report as a person reads it: one table, one line per item.</summary>
public static class ReconcileReportTextWriter
{
    public static void Write(ReconcileReport report, TextWriter output)
    {
        output.WriteLine($"Driver: {report.Driver.Word()}");
        output.WriteLine();
        var rows = report.Items.Select(i => new[]
        {
            i.Kind.Word() + (i.Planned ? "" : " (not configured)"),
            i.Name,
            i.Target ?? "-",
            i.State.Word(),
            i.Reason,
        });
        PlanTextWriter.Table(output, "Reconcile", ["KIND", "NAME", "TARGET", "STATE", "REASON"], rows);

        var lost = report.LostToColdBoot;
        if (!lost.IsEmpty)
        {
            output.WriteLine($"A cold boot cleared the carve-out, as RAM does: {string.Join(", ", lost)} were made again, empty.");
        }

        output.WriteLine(report.AllInPlace ? "Everything planned is in place." : "Something planned is not in place; see the reasons above.");
    }
}
