namespace RamDax.Provision.Apply;

/// <summary>
/// One step of <c>apply</c>. A step decides from the context (plan, facts, state, what the boot
/// configuration holds) and returns either an outcome or an action; <see cref="ApplyPipeline"/>
/// has the run's <see cref="RunMode"/> carry the action out or print it. Steps are idempotent and
/// record their progress in the state themselves, so a run stopped between any two steps
/// converges on the next run.
/// </summary>
public interface IApplyStep
{
    string Name { get; }

    StepDecision Decide(ApplyContext context);
}
