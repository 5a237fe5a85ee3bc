using RamDax.Provision.Machine;

namespace RamDax.Provision.Apply;

/// <summary>
/// Whether a run carries out what its steps decide or, with <c>--dry-run</c>, prints it and changes
/// nothing. The one place the difference lives: steps decide the same way in both modes and never
/// ask which one they are in.
/// </summary>
public abstract class RunMode
{
    /// <summary>Carries out every action and write.</summary>
    public static RunMode CarryOut { get; } = new Carrying();

    /// <summary>Prints every action instead; writes nothing, not even the lock file under /run.</summary>
    public static RunMode DryRun { get; } = new Printing();

    /// <summary>What a run in this mode says before its steps: a dry run says that it changes nothing.</summary>
    public abstract string Heading { get; }

    /// <summary>The lock that keeps two runs apart, or null when this run changes nothing.</summary>
    public abstract IDisposable? Lock(MachineRoot root);

    /// <summary>Makes one write of the run (the state, the recorded plan, a report file), or leaves it out.</summary>
    public abstract void Write(Action write);

    /// <summary>Carries out what a step decided, or prints it and reports it pending.</summary>
    public abstract Task<StepOutcome> ActAsync(StepAction action, CancellationToken cancellationToken);

    private sealed class Carrying : RunMode
    {
        public override string Heading => "";

        public override IDisposable? Lock(MachineRoot root) => ApplyLock.Acquire(root);

        public override void Write(Action write) => write();

        public override Task<StepOutcome> ActAsync(StepAction action, CancellationToken cancellationToken) => action.CarryOutAsync(cancellationToken);
    }

    private sealed class Printing : RunMode
    {
        public override string Heading => "dry run: nothing is changed; ";

        public override IDisposable? Lock(MachineRoot root) => null;

        public override void Write(Action write)
        {
        }

        public override Task<StepOutcome> ActAsync(StepAction action, CancellationToken cancellationToken) =>
            Task.FromResult(StepOutcome.Pending($"dry run: would {action.Intent}"));
    }
}
