namespace RamDax.Provision.Apply;

/// <summary>
/// Runs the every-boot steps (<see cref="IBootStep"/>), but only once the running kernel has the
/// wanted arguments: before that the carve-outs do not exist.
/// </summary>
public sealed class BootStepsStep(IReadOnlyList<IBootStep> bootSteps) : IApplyStep
{
    public string Name => "every-boot steps (regions, namespaces, filesystems, mounts)";

    public async Task<StepOutcome> RunAsync(ApplyContext context, CancellationToken cancellationToken)
    {
        if (!context.Plan.KernelArguments.Satisfied)
        {
            return StepOutcome.Skipped("the carve-outs are not live yet; they run on the boot that has the kernel arguments");
        }

        if (context.Plan.IsEmpty)
        {
            return StepOutcome.InPlace("no carve-out is configured");
        }

        if (bootSteps.Count == 0)
        {
            return StepOutcome.Skipped("no every-boot steps are installed in this build; regions, namespaces and mounts are not handled");
        }

        var details = new List<string>();
        var allInPlace = true;
        var worst = StepStatus.Done;
        foreach (var step in bootSteps)
        {
            var outcome = await step.RunAsync(context, cancellationToken).ConfigureAwait(false);
            details.Add($"{step.Name}: {outcome.Detail}");
            allInPlace &= outcome.Status == StepStatus.AlreadyInPlace;
            var status = outcome.Status == StepStatus.AlreadyInPlace ? StepStatus.Done : outcome.Status;
            worst = (StepStatus)Math.Max((int)worst, (int)status);
        }

        return new StepOutcome(allInPlace ? StepStatus.AlreadyInPlace : worst, string.Join("; ", details));
    }
}
