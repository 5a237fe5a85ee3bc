namespace RamDax.Provision.Apply;

/// <summary>
/// What a step decided to do to the machine: a sentence for people (what a dry run prints after
/// "would") and the work itself, which the run's <see cref="RunMode"/> carries out or not.
/// </summary>
/// <param name="Intent">What will be done, as it reads after "would": "write memmap=2G!5G with the GRUB drop-in".</param>
/// <param name="CarryOutAsync">Does it, and says how it ended.</param>
public sealed record StepAction(string Intent, Func<CancellationToken, Task<StepOutcome>> CarryOutAsync);
