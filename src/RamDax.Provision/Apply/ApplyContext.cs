using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>Everything a step needs for one run, and the one place state changes are recorded.</summary>
public sealed class ApplyContext(
    MachineRoot root,
    Plan plan,
    MachineFacts facts,
    IBootloader bootloader,
    BootTools tools,
    StateStore store,
    ProvisionState state,
    RebootMode reboot,
    bool dryRun,
    TimeProvider time,
    TextWriter output)
{
    public const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    public MachineRoot Root => root;

    public Plan Plan => plan;

    public MachineFacts Facts => facts;

    public IBootloader Bootloader => bootloader;

    public BootTools Tools => tools;

    public IToolRunner Runner => tools.Runner;

    public RebootMode Reboot => reboot;

    /// <summary>Print what would be done; change nothing, not even the state file.</summary>
    public bool DryRun => dryRun;

    public TimeProvider Time => time;

    /// <summary>Skip the every-boot steps when an earlier run of this boot already put the same plan in place.</summary>
    public bool SkipReconciled { get; init; }

    public ProvisionState State { get; private set; } = state;

    /// <summary>The boot configuration's target: the wanted arguments, and the owned ones no longer wanted.</summary>
    public KernelArgumentTarget Target => KernelArgumentTarget.From(Plan.KernelArguments.Wanted, State.KernelArguments.Owned);

    /// <summary>The running kernel's boot id; null when the root has none (an image).</summary>
    public string? BootId => Root.TryReadText(BootIdPath)?.Trim();

    /// <summary>Changes the state and writes it at once (atomically), unless this is a dry run.</summary>
    public void Record(Func<ProvisionState, ProvisionState> change)
    {
        State = change(State);
        if (!DryRun)
        {
            store.Write(State);
        }
    }

    public void Say(string line) => output.WriteLine(line);
}
