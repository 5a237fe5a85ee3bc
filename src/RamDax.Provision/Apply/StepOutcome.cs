using RamDax.Provision.State;

namespace RamDax.Provision.Apply;

/// <summary>The result of one step, with a sentence for people.</summary>
public sealed record StepOutcome(StepStatus Status, string Detail)
{
    public static StepOutcome Done(string detail) => new(StepStatus.Done, detail);

    public static StepOutcome InPlace(string detail) => new(StepStatus.AlreadyInPlace, detail);

    public static StepOutcome Skipped(string detail) => new(StepStatus.Skipped, detail);

    public static StepOutcome Pending(string detail) => new(StepStatus.Pending, detail);

    public static StepOutcome Rebooting(string detail) => new(StepStatus.Rebooting, detail);
}
