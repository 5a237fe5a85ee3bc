using System.Collections.Immutable;
using RamDax.Provision.State;

namespace RamDax.Provision.Apply;

/// <summary>
/// Runs the steps in order: each decides, and the run's <see cref="RunMode"/> carries out the
/// action it decided on (or, in a dry run, prints it). Records each step in the state as it
/// finishes, and stops at the first failure (later steps depend on earlier ones) or after a
/// reboot request.
/// </summary>
public static class ApplyPipeline
{
    public static async Task<ApplyReport> RunAsync(ApplyContext context, IReadOnlyList<IApplyStep> steps, CancellationToken cancellationToken)
    {
        var started = context.Time.GetUtcNow();
        context.Record(s => s with { LastRun = new RunRecord("apply", started, null, RunResult.Running, null, []) });
        var records = ImmutableArray.CreateBuilder<StepRecord>();
        var result = RunResult.Converged;
        string? message = null;
        var exitCode = ExitCodes.Ok;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            StepOutcome outcome;
            try
            {
                outcome = await RunStepAsync(step, context, cancellationToken).ConfigureAwait(false);
            }
            catch (ProvisionException e)
            {
                outcome = new StepOutcome(StepStatus.Failed, e.Message);
                exitCode = e.ExitCode;
            }

            context.Say($"[{i + 1}/{steps.Count}] {step.Name}: {outcome.Status.Word()}: {outcome.Detail}");
            records.Add(new StepRecord(step.Name, outcome.Status, outcome.Detail));
            context.Record(s => s with { LastRun = s.LastRun! with { Steps = records.ToImmutable() } });

            if (outcome.Status == StepStatus.Failed)
            {
                result = RunResult.Failed;
                exitCode = exitCode == ExitCodes.Ok ? ExitCodes.Failed : exitCode;
                message = $"{step.Name} failed: {outcome.Detail}";
                break;
            }

            if (outcome.Status == StepStatus.Pending)
            {
                result = RunResult.RebootPending;
                message = outcome.Detail;
            }

            if (outcome.Status == StepStatus.Rebooting)
            {
                result = RunResult.Rebooting;
                message = outcome.Detail;
                break;
            }
        }

        context.Record(s => s with { LastRun = s.LastRun! with { FinishedAt = context.Time.GetUtcNow(), Result = result, Message = message } });
        return new ApplyReport(result, message, exitCode, records.ToImmutable());
    }

    /// <summary>One step: it decides, and the run's mode carries out the action it decided on, or prints it.</summary>
    public static async Task<StepOutcome> RunStepAsync(IApplyStep step, ApplyContext context, CancellationToken cancellationToken)
    {
        var decision = step.Decide(context);
        return decision.Action is { } action
            ? await context.Mode.ActAsync(action, cancellationToken).ConfigureAwait(false)
            : decision.Outcome!;
    }
}

