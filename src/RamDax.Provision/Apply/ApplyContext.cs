using Microsoft.Extensions.Logging;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// Everything a step needs for one run, and what it acts through: the one tool runner, the one
/// clock, the one log (each stage logs under its own category; apply's own lines have none), and
/// the one place state changes are recorded. The <see cref="Mode"/> decides whether anything is
/// carried out and written.
/// </summary>
public sealed class ApplyContext(
    MachineRoot root,
    Plan plan,
    MachineFacts facts,
    IBootloader bootloader,
    BootTools tools,
    StateStore store,
    ProvisionState state,
    RebootMode reboot,
    RunMode mode,
    TimeProvider time,
    ILoggerFactory logs)
{
    public const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    public MachineRoot Root => root;

    public Plan Plan => plan;

    public MachineFacts Facts => facts;

    public IBootloader Bootloader => bootloader;

    public BootTools Tools => tools;

    public IToolRunner Runner => tools.Runner;

    public RebootMode Reboot => reboot;

    /// <summary>Carry out what the steps decide, or (a dry run) print it and change nothing, not even the state file.</summary>
    public RunMode Mode => mode;

    public TimeProvider Time => time;

    /// <summary>The run's own lines (the plan, each step, what it does).</summary>
    public ILogger Log { get; } = logs.CreateLogger(string.Empty);

    /// <summary>The every-boot stages' context: the same root, runner, clock and log, with the stages' category.</summary>
    public ReconcileContext ForReconcile(ReconcileOptions options) =>
        new(Root, Runner, new MachineWriter(Root), logs.CreateLogger("reconcile"), time, options);

    /// <summary>Skip the every-boot steps when an earlier run of this boot already put the same plan in place.</summary>
    public bool SkipReconciled { get; init; }

    public ProvisionState State { get; private set; } = state;

    /// <summary>The boot configuration's target: the wanted arguments, and the owned ones no longer wanted.</summary>
    public KernelArgumentTarget Target => KernelArgumentTarget.From(Plan.KernelArguments.Wanted, State.KernelArguments.Owned);

    /// <summary>The running kernel's boot id; null when the root has none (an image).</summary>
    public string? BootId => Root.TryReadText(BootIdPath)?.Trim();

    /// <summary>Changes the state and writes it at once (atomically), as the run's mode writes.</summary>
    public void Record(Func<ProvisionState, ProvisionState> change)
    {
        State = change(State);
        var changed = State;
        mode.Write(() => store.Write(changed));
    }

    public void Say(string line) => LogLines.Info(Log, line);
}
