using Microsoft.Extensions.Logging;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// <c>ramdax-provision apply</c>, the imperative shell: takes the lock, reads the state, loads the
/// configuration, reads the machine, plans (as <c>plan</c> does, plus the arguments owned so far),
/// and runs the steps that converge the machine toward the plan.
/// </summary>
public sealed class Applier(IToolRunner runner, TimeProvider time, ILoggerFactory logs)
{
    // The run's own lines; the every-boot stages log under their own category through the context.
    private readonly ILogger log = logs.CreateLogger(string.Empty);

    /// <summary>Where instance metadata joins the configuration: the sources the local settings name, unless a caller (a test) says otherwise.</summary>
    public MetadataSeam Metadata { get; init; } = MetadataSources.Fetched;

    /// <summary>The steps of a run, in order.</summary>
    public static IReadOnlyList<IApplyStep> Steps() =>
        [new RecordIntentStep(), new ConfigureBootloaderStep(), new RebootStep(), new ReconcileStep()];

    /// <param name="request">The root, configuration and options of the run.</param>
    /// <param name="arrangeSteps">Lets a caller wrap or reorder the steps (tests stop runs between steps with it).</param>
    /// <param name="cancellationToken">Stops the run between tool calls.</param>
    public async Task<ApplyReport> RunAsync(ApplyRequest request, Func<IReadOnlyList<IApplyStep>, IReadOnlyList<IApplyStep>>? arrangeSteps = null, CancellationToken cancellationToken = default)
    {
        var mode = request.Mode;
        using var held = mode.Lock(request.Root);
        var store = new StateStore(request.Root);
        var state = store.Read();
        var recorded = new PlanRecord(request.Root);
        var facts = NextBootReader.ReadFacts(request.Root);
        var localRequest = new ConfigurationRequest(request.Root, request.ConfigFiles, request.Sets);
        Plan plan;
        RebootMode reboot;
        BootloaderKind bootloaderKind;
        MetricsSettings metrics;
        if (request.Offline)
        {
            // Early in the boot: no network, no cloud-init files. Work from the plan the last full
            // run made, checked against this boot's command line; never plan from partial information.
            if (recorded.Read() is not { } last)
            {
                LogLines.Info(log, $"no plan is recorded yet ({recorded.Path}); the run with metadata makes one");
                return new ApplyReport(RunResult.Converged, "no plan recorded yet", ExitCodes.Ok, []);
            }

            // The recorded plan is held to the rules the configuration is, with this image's own
            // configuration; one that breaks them (a hand edit) is refused before anything changes.
            var loaded = Record(() => ConfigurationLoader.Load(localRequest), store, state, mode);
            if (RecordedPlanRules.Problems(last, facts, loaded) is { Count: > 0 } problems)
            {
                throw new StateDamagedException(recorded.Path, "it breaks the rules the configuration is held to: " + string.Join("; ", problems));
            }

            plan = last with { KernelArguments = KernelArgumentPlanner.Compare(last.KernelArguments.Wanted, facts.CommandLine, state.KernelArguments.Owned) };
            var local = loaded.Settings;
            reboot = request.Reboot ?? local.Reboot;
            bootloaderKind = local.Bootloader;
            metrics = local.Metrics;
        }
        else
        {
            var local = ConfigurationLoader.ReadLocal(localRequest);
            var (configuration, warnings) = await Metadata(local, cancellationToken).ConfigureAwait(false);
            var composed = Record(() => PlanComposer.Make(configuration, warnings, facts, state.KernelArguments.Owned), store, state, mode);
            var settings = composed.Configuration.Settings;
            plan = composed.Plan;
            var made = plan;
            mode.Write(() => recorded.Write(made));

            reboot = request.Reboot ?? settings.Reboot;
            bootloaderKind = settings.Bootloader;
            metrics = settings.Metrics;
        }

        Describe(plan, request.Offline);
        var tools = new BootTools(request.Root, runner);
        var bootloader = BootloaderDetector.Select(bootloaderKind, tools);
        LogLines.Info(log, $"{mode.Heading}bootloader: {bootloader.Description}");

        var context = new ApplyContext(request.Root, plan, facts, bootloader, tools, store, state, reboot, mode, time, logs)
        {
            SkipReconciled = request.SkipReconciled,
        };
        var steps = Steps();
        var report = await ApplyPipeline.RunAsync(context, arrangeSteps?.Invoke(steps) ?? steps, cancellationToken).ConfigureAwait(false);
        return report with { MetricsTextfile = metrics.Textfile };
    }

    // One line per carve-out and namespace, then the warnings: the journal then tells what was planned.
    private void Describe(Plan plan, bool recorded)
    {
        var source = recorded ? "recorded plan" : "plan";
        if (plan.IsEmpty)
        {
            LogLines.Info(log, $"{source}: nothing to carve out");
        }

        foreach (var c in plan.Carveouts)
        {
            LogLines.Info(log, $"{source}: carve-out {ByteSize.FormatExact(c.Size)} at 0x{c.Start:x} (memmap={c.MemmapSpec}), driver {plan.Driver.Word()}");
        }

        foreach (var n in plan.Namespaces)
        {
            var use = n.Filesystem is { } fs ? $"{fs.Type.Word()} on {n.Mount?.Path}" : $"{n.Device?.Owner}:{n.Device?.Group} {n.Device?.Mode}";
            LogLines.Info(log, $"{source}: namespace {n.Name}: {n.Mode.Word()} {ByteSize.FormatExact(n.Size)} ({ByteSize.FormatHuman(n.UsableSize)} usable), {use}");
        }

        foreach (var warning in plan.Warnings)
        {
            LogLines.Warn(log, warning);
        }
    }

    // A configuration or plan the agent refuses is recorded as the last run, so `status` (and the
    // journal, through the exception's message) says why nothing changed.
    private T Record<T>(Func<T> make, StateStore store, ProvisionState state, RunMode mode)
    {
        try
        {
            return make();
        }
        catch (ProvisionException e)
        {
            var now = time.GetUtcNow();
            mode.Write(() => store.Write(state with { LastRun = new RunRecord("apply", now, now, RunResult.Failed, e.Message, []) }));
            throw;
        }
    }
}
