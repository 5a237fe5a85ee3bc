using System.Collections.Immutable;
using RamDax.Provision.State;

namespace RamDax.Provision.Apply;

/// <summary>
/// Records the wanted arguments as owned BEFORE they are written, so a run stopped half-way never
/// leaves an argument of ours in the boot configuration that the next run would not recognise.
/// A new instance id starts the per-instance part afresh.
/// </summary>
public sealed class RecordIntentStep : IApplyStep
{
    public string Name => "record the wanted kernel arguments";

    public StepDecision Decide(ApplyContext context)
    {
        var wanted = context.Plan.KernelArguments.Wanted;
        var current = context.State.KernelArguments;
        var owned = current.Owned.Concat(wanted).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var instance = context.Plan.Instance?.Id ?? context.State.InstanceId;
        var newInstance = context.State.InstanceId is not null && instance != context.State.InstanceId;
        if (current.Wanted.SequenceEqual(wanted) && current.Owned.SequenceEqual(owned) && !newInstance && instance == context.State.InstanceId)
        {
            return StepOutcome.InPlace(Describe(wanted));
        }

        return StepDecision.Act($"record in the state: {Describe(wanted)}", _ =>
        {
            context.Record(s => s with
            {
                InstanceId = instance,
                Namespaces = newInstance ? [] : s.Namespaces,
                KernelArguments = (newInstance
                    ? s.KernelArguments with { RebootedFor = null, RebootRequestedInBoot = null, RebootRequestedAt = null, Error = null, Reboot = RebootState.NotNeeded }
                    : s.KernelArguments) with
                { Wanted = wanted, Owned = owned },
            });
            return Task.FromResult(StepOutcome.Done((newInstance ? $"new instance {instance}; " : "") + Describe(wanted)));
        });
    }

    private static string Describe(ImmutableArray<string> wanted) => wanted.IsEmpty ? "no kernel arguments wanted" : "wanted: " + string.Join(' ', wanted);
}
