using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.State;

namespace RamDax.Provision.Reconcile;

/// <summary>
/// What one boot's reconcile found and did: every carve-out, namespace, device, filesystem and
/// mount with its state and the reason. Written to <see cref="StatusPath"/> after every run.
/// </summary>
public sealed record ReconcileReport(DriverKind Driver, DateTimeOffset FinishedAt, ImmutableArray<ReconcileItem> Items)
{
    /// <summary>Where the last report is kept, for <c>status</c> and for people.</summary>
    public const string StatusPath = "/run/ramdax-provision/status.json";

    /// <summary>The format this agent writes; version 0.1.0 wrote none (read as the same words).</summary>
    public const int CurrentFormat = 1;

    [JsonPropertyOrder(-1)]
    public int Format { get; init; } = CurrentFormat;

    /// <summary>Which plan this run reconciled (<see cref="DigestOf"/>), so a later run of the same boot can tell it is the same.</summary>
    public string? PlanDigest { get; init; }

    /// <summary>
    /// A digest of what a plan asks of the machine: driver, carve-outs, namespaces and the wanted
    /// kernel arguments; not its warnings nor how the running command line differs.
    /// </summary>
    /// <summary>The report of this boot's last run, the one reader of <see cref="StatusPath"/>; null when there is none.</summary>
    /// <exception cref="StateDamagedException">The file is there but not a report this version can read.</exception>
    public static ReconcileReport? Read(MachineRoot root) =>
        StateFile.Read(root, StatusPath, ReconcileJsonContext.Default.ReconcileReport, Check);

    public static string DigestOf(Plan plan)
    {
        var layout = plan with { KernelArguments = new(plan.KernelArguments.Wanted, [], []), Warnings = [] };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(layout, ReconcileJsonContext.Default.Plan)));
    }

    /// <summary>Whether everything planned is in place; the exit status of <c>apply</c> follows it.</summary>
    public bool AllInPlace => Items.Where(i => i.Planned).All(i => i.InPlace);

    /// <summary>The namespaces a cold boot emptied and this run made again (their data is gone, as expected of RAM).</summary>
    public ImmutableArray<string> LostToColdBoot =>
        [.. Items.Where(i => i.Kind == ItemKind.Namespace && i.State == ItemState.RecreatedAfterColdBoot).Select(i => i.Name)];

    /// <summary>The names of the planned namespaces that are in place, for the state kept across boots.</summary>
    public ImmutableArray<string> NamespacesInPlace =>
        [.. Items.Where(i => i.Kind == ItemKind.Namespace && i.Planned && i.InPlace).Select(i => i.Name)];

    /// <summary>
    /// This report, keeping what an earlier run of the same boot changed: the status file lives in
    /// /run, so it describes the boot, and an item the early run created is "created" for the whole
    /// boot even when a later run finds it in place.
    /// </summary>
    public ReconcileReport KeepingChangesOf(ReconcileReport? earlier)
    {
        if (earlier is null)
        {
            return this;
        }

        return this with
        {
            Items = [.. Items.Select(item =>
                item.State == ItemState.Ok
                && earlier.Items.FirstOrDefault(e => e.Kind == item.Kind && e.Name == item.Name && e.Target == item.Target
                    && e.State is ItemState.Created or ItemState.RecreatedAfterColdBoot) is { } change
                    ? item with { State = change.State, Reason = change.Reason }
                    : item)],
        };
    }

    /// <summary>The problem with a report read back from its file (a list or name the agent always writes is missing), or null.</summary>
    public static string? Check(ReconcileReport report) =>
        report.Format is not 0 and not CurrentFormat ? $"it has format {report.Format}, and this agent reads format {CurrentFormat}"
        : report.Items.IsDefault || report.Items.Any(i => i?.Name is null || i.Reason is null) ? "a list or record the agent always writes is missing or null" : null;
}
