namespace RamDax.Provision.Apply;

/// <summary>
/// One step of <c>apply</c>. Steps are idempotent and record their progress in the state
/// themselves, so a run stopped between any two steps converges on the next run.
/// </summary>
public interface IApplyStep
{
    string Name { get; }

    Task<StepOutcome> RunAsync(ApplyContext context, CancellationToken cancellationToken);
}
