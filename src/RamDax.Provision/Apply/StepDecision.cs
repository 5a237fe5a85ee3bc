namespace RamDax.Provision.Apply;

/// <summary>
/// What a step decided from the plan, the machine's facts and the state: nothing to do (an
/// <see cref="Outcome"/>), or an <see cref="Action"/> to carry out.
/// </summary>
public sealed record StepDecision
{
    private StepDecision(StepOutcome? outcome, StepAction? action)
    {
        Outcome = outcome;
        Action = action;
    }

    /// <summary>How the step ends when there is nothing to do; null when there is an action.</summary>
    public StepOutcome? Outcome { get; }

    /// <summary>The work to carry out; null when there is nothing to do.</summary>
    public StepAction? Action { get; }

    /// <summary>Nothing to carry out: the step ends with <paramref name="outcome"/>.</summary>
    public static StepDecision Settled(StepOutcome outcome) => new(outcome, null);

    /// <summary>Work to carry out: <paramref name="intent"/> is what a dry run prints after "would".</summary>
    public static StepDecision Act(string intent, Func<CancellationToken, Task<StepOutcome>> carryOut) => new(null, new StepAction(intent, carryOut));

    public static implicit operator StepDecision(StepOutcome outcome) => Settled(outcome);
}
