using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile.Binding;
using RamDax.Provision.Reconcile.Devdax;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Reconcile.Mounts;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile;

/// <summary>
/// Every boot, once the kernel arguments are live: bind the driver, reconcile namespaces,
/// filesystems, mounts and devdax access, in that order, and report each thing's state. A failure
/// stops only what depends on it; the report says what and why, and is kept in
/// <see cref="ReconcileReport.StatusPath"/>.
/// </summary>
public static class BootReconciler
{
    private const UnixFileMode StatusFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Reconciles the host (or a root) with the real tools, the system clock and default options.</summary>
    public static Task<ReconcileReport> RunAsync(Plan plan, MachineRoot root, IToolRunner tools, ILogger log, ReconcileOptions? options = null, CancellationToken ct = default) =>
        RunAsync(plan, new ReconcileContext(root, tools, new MachineWriter(root), log, TimeProvider.System, options ?? new ReconcileOptions()), ct);

    public static async Task<ReconcileReport> RunAsync(Plan plan, ReconcileContext context, CancellationToken ct = default)
    {
        var items = new List<ReconcileItem>();
        if (plan.IsEmpty)
        {
            LogLines.Info(context.Log, "no carve-out is planned: nothing to reconcile");
        }
        else
        {
            var binding = await RegionBinder.BindAsync(plan, context, ct).ConfigureAwait(false);
            items.Add(binding.Driver);
            items.AddRange(binding.Carveouts.Select(c => c.Item));

            var namespaces = await NamespaceReconciler.ReconcileAsync(plan, binding, context, ct).ConfigureAwait(false);
            var filesystems = await FilesystemReconciler.ReconcileAsync(namespaces.Outcomes, context, ct).ConfigureAwait(false);
            var mounts = await MountReconciler.ReconcileAsync(filesystems, plan.Driver, context, ct).ConfigureAwait(false);
            var devices = await DeviceAccessReconciler.ReconcileAsync(namespaces.Outcomes, context, ct).ConfigureAwait(false);

            foreach (var ns in namespaces.Outcomes)
            {
                var name = ns.Planned.Name;
                items.Add(ns.Item);
                items.AddRange(devices.Where(d => d.Name == name));
                items.AddRange(filesystems.Where(f => f.Planned.Name == name).Select(f => f.Item));
                items.AddRange(mounts.Where(m => m.Planned.Name == name).Select(m => m.Item));
            }

            items.AddRange(namespaces.Unplanned);
        }

        var report = new ReconcileReport(plan.Driver, context.Time.GetUtcNow(), [.. items]) { PlanDigest = ReconcileReport.DigestOf(plan) }
            .KeepingChangesOf(context.Options.WriteStatus ? ThisBoot(context.Root) : null);
        if (context.Options.WriteStatus)
        {
            WriteStatus(report, context);
        }

        var summary = report.AllInPlace ? "everything planned is in place" : "something planned is not in place";
        LogLines.Write(context.Log, report.AllInPlace ? LogLevel.Information : LogLevel.Error, $"reconcile finished: {summary}");
        return report;
    }

    /// <summary>The report as JSON, as the status file and <c>--format json</c> have it.</summary>
    public static string ToJson(ReconcileReport report) => JsonSerializer.Serialize(report, ReconcileJsonContext.Default.ReconcileReport);

    /// <summary>The report of the last run in this boot (it lives in /run); null when there is none or it is unreadable.</summary>
    public static ReconcileReport? ThisBoot(MachineRoot root)
    {
        try
        {
            return ReconcileReport.Read(root);
        }
        catch (StateDamagedException)
        {
            return null;
        }
    }

    private static void WriteStatus(ReconcileReport report, ReconcileContext context)
    {
        try
        {
            context.Writer.WriteFileIfChanged(ReconcileReport.StatusPath, ToJson(report) + "\n", StatusFileMode);
        }
        catch (ProvisionException e)
        {
            // The machine is as reconciled whether or not the status file could be written.
            LogLines.Warn(context.Log, $"the report was not saved: {e.Message}");
        }
    }
}
