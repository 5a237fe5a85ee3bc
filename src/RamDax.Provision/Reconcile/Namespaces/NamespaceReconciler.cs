using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile.Binding;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Namespaces;

/// <summary>
/// Stage 2: for every region, read its namespaces (from sysfs when they are all in place, from
/// <c>ndctl list</c> otherwise), decide, and carry the decisions out in plan order (ndctl allocates
/// in order, and the plan puts large alignments first).
/// </summary>
public static class NamespaceReconciler
{
    public static async Task<NamespaceStageResult> ReconcileAsync(Plan plan, BindingResult binding, ReconcileContext context, CancellationToken ct)
    {
        var outcomes = new Dictionary<PlannedNamespace, NamespaceOutcome>(ReferenceEqualityComparer.Instance);
        var unplanned = ImmutableArray.CreateBuilder<ReconcileItem>();
        var changed = false;
        foreach (var carveout in binding.Carveouts)
        {
            var planned = plan.Namespaces.Where(n => n.Carveout == carveout.Index).ToImmutableArray();
            if (carveout.Region is not { } region)
            {
                foreach (var p in planned)
                {
                    outcomes[p] = Failed(p, null, $"not attempted: carve-out {carveout.Carveout.MemmapSpec} has no region ({carveout.Item.Reason})");
                }

                continue;
            }

            RegionDecision decision;
            try
            {
                decision = await DecideAsync(plan.Driver, region, planned, context, ct).ConfigureAwait(false);
            }
            catch (ProvisionException e)
            {
                var error = ReconcileStepException.Wrap($"read the namespaces of {region.Name}", e);
                LogLines.Error(context.Log, error.Message);
                foreach (var p in planned)
                {
                    outcomes[p] = Failed(p, null, error.Message);
                }

                continue;
            }

            foreach (var d in decision.Decisions)
            {
                var outcome = await CarryOutAsync(d, region, context, ct).ConfigureAwait(false);
                changed |= outcome.Item.State is ItemState.Created or ItemState.RecreatedAfterColdBoot;
                outcomes[d.Planned] = outcome;
                LogLines.Write(context.Log, outcome.Item.InPlace ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Warning,
                    $"namespace '{d.Planned.Name}': {outcome.Item.State.Word()}: {outcome.Item.Reason}");
            }

            foreach (var n in decision.Unplanned)
            {
                var item = new ReconcileItem(ItemKind.Namespace, n.Name ?? n.Dev, n.Dev, ItemState.Drifted,
                    $"{n.Dev} ({n.NormalizedMode}, {ByteSize.FormatHuman(n.Size)}) on {region.Name} is not in the configuration; left alone "
                    + $"(ndctl destroy-namespace -f {n.Dev} frees its space once nothing uses it)", Planned: false);
                unplanned.Add(item);
                LogLines.Warn(context.Log, item.Reason);
            }
        }

        if (changed)
        {
            // New namespaces bring new /dev/pmem* and /dev/dax* nodes; later stages need them.
            await context.SettleAsync(ct).ConfigureAwait(false);
        }

        return new NamespaceStageResult([.. plan.Namespaces.Select(p => outcomes[p])], unplanned.ToImmutable());
    }

    // A converged boot decides from sysfs alone and runs no program for it. When sysfs shows anything
    // to change (a namespace to create, convert or recreate, drift, one nobody planned), the decision
    // is made again from ndctl's own listing, which the changes then act on.
    private static async Task<RegionDecision> DecideAsync(DriverKind driver, NdRegion region, ImmutableArray<PlannedNamespace> planned, ReconcileContext context, CancellationToken ct)
    {
        string why;
        if (ReadSysfs(context, region, out var unreadable) is not { } seen)
        {
            why = unreadable ?? $"sysfs has no {region.Name}";
        }
        else if (seen.Namespaces.FirstOrDefault(n => n.IsUnconverted) is { } raw)
        {
            why = $"{raw.Dev} is not converted yet";
        }
        else
        {
            var converged = NamespaceDecider.Decide(driver, new RegionFacts(seen, MountTable.Read(context.Root)), planned, context.Options.NamespacesSeenBefore);
            if (converged.Unplanned.IsEmpty && converged.Decisions.All(d => d is NamespaceDecision.Reuse { Existing.DevicePath: not null }))
            {
                return converged;
            }

            why = converged.Decisions.FirstOrDefault(d => d is not NamespaceDecision.Reuse) is { } change
                ? $"namespace '{change.Planned.Name}' is to be {Verb(change)}"
                : converged.Unplanned.FirstOrDefault() is { } extra ? $"{extra.Dev} is not planned" : "a namespace has no device node yet";
        }

        LogLines.Info(context.Log, $"{region.Name} as sysfs shows it is not all in place ({why}); reading it with ndctl list");
        var facts = await ReadAsync(driver, region, context, ct).ConfigureAwait(false);
        return NamespaceDecider.Decide(driver, facts, planned, context.Options.NamespacesSeenBefore);
    }

    // The shortcut never makes a boot fail: what sysfs cannot answer, ndctl is asked.
    private static NdctlRegion? ReadSysfs(ReconcileContext context, NdRegion region, out string? unreadable)
    {
        unreadable = null;
        try
        {
            return NdNamespaceReader.Read(context.Root, region.Name);
        }
        catch (ProvisionException e)
        {
            unreadable = $"sysfs could not be read: {e.Message}";
            return null;
        }
    }

    private static string Verb(NamespaceDecision decision) => decision switch
    {
        NamespaceDecision.Create => "created",
        NamespaceDecision.Recreate => "recreated",
        NamespaceDecision.Convert => "converted",
        NamespaceDecision.LeaveDrifted => "left drifted",
        _ => "looked at again",
    };

    private static async Task<RegionFacts> ReadAsync(DriverKind driver, NdRegion region, ReconcileContext context, CancellationToken ct)
    {
        var listing = await ListAsync(region.Name, context, ct).ConfigureAwait(false);
        var mounts = MountTable.Read(context.Root);
        var signatures = ImmutableDictionary.CreateBuilder<string, BlkidSignature>(StringComparer.Ordinal);
        if (driver == DriverKind.NdE820)
        {
            foreach (var raw in listing.Namespaces.Where(n => n.IsUnconverted && n.DevicePath is not null))
            {
                signatures[raw.DevicePath!] = await BlkidProbe.ProbeAsync(context, raw.DevicePath!, ct).ConfigureAwait(false);
            }
        }

        return new RegionFacts(listing, mounts, signatures.ToImmutable());
    }

    private static async Task<NdctlRegion> ListAsync(string region, ReconcileContext context, CancellationToken ct)
    {
        var result = await context.RunAsync(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", region], ReconcileContext.NdctlTimeout, $"list the namespaces of {region}", ct).ConfigureAwait(false);
        return NdctlOutput.ParseRegions(result.StandardOutput).FirstOrDefault(r => r.Dev == region)
            ?? throw new ReconcileStepException($"list the namespaces of {region}", $"ndctl does not list {region}; is it disabled? (ndctl enable-region {region})");
    }

    private static async Task<NamespaceOutcome> CarryOutAsync(NamespaceDecision decision, NdRegion region, ReconcileContext context, CancellationToken ct)
    {
        var p = decision.Planned;
        try
        {
            switch (decision)
            {
                case NamespaceDecision.Reuse reuse:
                    return new NamespaceOutcome(p, reuse.Existing, Item(p, reuse.Existing, ItemState.Ok, $"{Describe(reuse.Existing)}, reused"));

                case NamespaceDecision.LeaveDrifted drifted:
                    return new NamespaceOutcome(p, null, new ReconcileItem(ItemKind.Namespace, p.Name, drifted.Existing?.Dev, ItemState.Drifted, drifted.Reason));

                case NamespaceDecision.Impossible impossible:
                    return Failed(p, null, impossible.Reason);

                case NamespaceDecision.Create create:
                    var created = await CreateAsync(p, region, context, ct).ConfigureAwait(false);
                    return new NamespaceOutcome(p, created, Item(p, created, create.AfterColdBoot ? ItemState.RecreatedAfterColdBoot : ItemState.Created,
                        $"created {Describe(created)}: {create.Why}"));

                case NamespaceDecision.Recreate recreate:
                    await context.RunAsync(ExternalTools.Ndctl, ["destroy-namespace", "-f", recreate.Existing.Dev], ReconcileContext.NdctlTimeout,
                        $"destroy namespace '{p.Name}' ({recreate.Existing.Dev})", ct).ConfigureAwait(false);
                    var replaced = await CreateAsync(p, region, context, ct).ConfigureAwait(false);
                    return new NamespaceOutcome(p, replaced, Item(p, replaced, ItemState.Created,
                        $"reconfigured: {recreate.Existing.Dev} had {recreate.Drift}; destroyed it and created {Describe(replaced)}"));

                case NamespaceDecision.Convert convert:
                    var result = await context.RunAsync(ExternalTools.Ndctl,
                        ["create-namespace", "-e", convert.Existing.Dev, "-m", NamespaceDecider.ModeWord(p.Mode), "-a", Bytes(p.Alignment), "-f"],
                        ReconcileContext.NdctlTimeout, $"convert namespace '{p.Name}' ({convert.Existing.Dev})", ct).ConfigureAwait(false);
                    var converted = NdctlOutput.ParseNamespace(result.StandardOutput);
                    return new NamespaceOutcome(p, converted, Item(p, converted, convert.AfterColdBoot ? ItemState.RecreatedAfterColdBoot : ItemState.Created,
                        $"converted to {Describe(converted)}: {convert.Why}"));

                default:
                    throw new InvalidOperationException($"unknown decision {decision}");
            }
        }
        catch (ProvisionException e)
        {
            var verb = decision is NamespaceDecision.Convert ? "convert" : decision is NamespaceDecision.Recreate ? "recreate" : "create";
            return Failed(p, null, ReconcileStepException.Wrap($"{verb} namespace '{p.Name}'", e).Message);
        }
    }

    private static async Task<NdctlNamespace> CreateAsync(PlannedNamespace p, NdRegion region, ReconcileContext context, CancellationToken ct)
    {
        var result = await context.RunAsync(ExternalTools.Ndctl,
            ["create-namespace", "-r", region.Name, "-m", NamespaceDecider.ModeWord(p.Mode), "-s", Bytes(p.Size), "-a", Bytes(p.Alignment), "-n", p.Name],
            ReconcileContext.NdctlTimeout, $"create namespace '{p.Name}'", ct).ConfigureAwait(false);
        return NdctlOutput.ParseNamespace(result.StandardOutput);
    }

    private static string Bytes(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(NdctlNamespace n) =>
        $"{n.NormalizedMode} {n.Dev}" + (n.DevicePath is { } path ? $" ({path})" : "") + $", {ByteSize.FormatHuman(n.Size)} usable";

    private static ReconcileItem Item(PlannedNamespace p, NdctlNamespace n, ItemState state, string reason) =>
        new(ItemKind.Namespace, p.Name, n.Dev, state, reason);

    private static NamespaceOutcome Failed(PlannedNamespace p, string? target, string reason) =>
        new(p, null, new ReconcileItem(ItemKind.Namespace, p.Name, target, ItemState.Failed, reason));
}
