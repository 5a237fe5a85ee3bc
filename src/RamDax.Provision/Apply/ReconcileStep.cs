using RamDax.Provision.Reconcile;
using RamDax.Provision.State;

namespace RamDax.Provision.Apply;

/// <summary>
/// The every-boot work inside <c>apply</c>, once the running kernel has the wanted arguments
/// (before that the carve-outs do not exist): runs the <see cref="BootReconciler"/> on the plan and
/// remembers which namespaces are in place, so that the next boot can tell a power cycle's loss
/// from a namespace that was never made. With <see cref="ApplyContext.SkipReconciled"/> it does
/// nothing when this boot's report already shows the same plan in place (the run after metadata,
/// once the early run has done the work).
/// </summary>
public sealed class ReconcileStep : IApplyStep
{
    public string Name => "every-boot steps (regions, namespaces, filesystems, mounts)";

    public StepDecision Decide(ApplyContext context)
    {
        if (!context.Plan.KernelArguments.Satisfied)
        {
            return StepOutcome.Skipped("the carve-outs are not live yet; they run on the boot that has the kernel arguments");
        }

        if (context.Plan.IsEmpty)
        {
            return StepOutcome.InPlace("no carve-out is configured");
        }

        if (context.SkipReconciled && BootReconciler.ThisBoot(context.Root) is { AllInPlace: true } earlier
            && earlier.PlanDigest == ReconcileReport.DigestOf(context.Plan))
        {
            return StepOutcome.InPlace($"an earlier run of this boot put this plan in place at {earlier.FinishedAt:HH:mm:ss} ({ReconcileReport.StatusPath}); not checked again");
        }

        var names = string.Join(", ", context.Plan.Namespaces.Select(n => $"{n.Name} ({n.Mode.Word()}{(n.Mount is null ? "" : " on " + n.Mount.Path)})"));
        return StepDecision.Act(
            $"bind {context.Plan.Driver.Word()} and reconcile {(names.Length == 0 ? "no namespaces" : names)}",
            cancellationToken => ReconcileAsync(context, cancellationToken));
    }

    private static async Task<StepOutcome> ReconcileAsync(ApplyContext context, CancellationToken cancellationToken)
    {
        var options = new ReconcileOptions { NamespacesSeenBefore = [.. context.State.Namespaces] };
        var report = await BootReconciler.RunAsync(context.Plan, context.ForReconcile(options), cancellationToken).ConfigureAwait(false);
        context.Record(s => s with { Namespaces = report.NamespacesInPlace });

        var planned = report.Items.Where(i => i.Planned).ToList();
        var notInPlace = planned.Where(i => !i.InPlace).ToList();
        if (notInPlace.Count > 0)
        {
            return new StepOutcome(StepStatus.Failed, string.Join("; ", notInPlace.Select(i => $"{i.Kind.Word()} {i.Name}: {i.State.Word()}: {i.Reason}")));
        }

        var changed = planned.Where(i => i.State != ItemState.Ok).ToList();
        var lost = report.LostToColdBoot;
        var summary = $"{planned.Count} items in place"
            + (changed.Count == 0 ? "" : $", {changed.Count} made this boot")
            + (lost.IsEmpty ? "" : $"; recreated after a cold boot (their data was lost with the power, as expected): {string.Join(", ", lost)}");
        return changed.Count == 0 ? StepOutcome.InPlace(summary) : StepOutcome.Done(summary);
    }
}
