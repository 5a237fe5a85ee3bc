using RamDax.Provision.Boot;
using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// Adds instance metadata to a configuration request. The metadata providers plug in here;
/// <paramref name="offline"/> tells them not to fetch anything.
/// </summary>
public delegate Task<ConfigurationRequest> MetadataSeam(ConfigurationRequest request, bool offline, CancellationToken cancellationToken);

/// <summary>
/// <c>ramdax-provision apply</c>, the imperative shell: takes the lock, reads the state, loads the
/// configuration, reads the machine, plans (as <c>plan</c> does, plus the arguments owned so far),
/// and runs the steps that converge the machine toward the plan.
/// </summary>
public sealed class Applier(IToolRunner runner, TimeProvider time, TextWriter output)
{
    /// <summary>The every-boot steps, run once the kernel arguments are live. The boot reconciler goes here.</summary>
    public IReadOnlyList<IBootStep> BootSteps { get; init; } = [];

    /// <summary>Where instance metadata joins the configuration; none until the metadata providers are wired in.</summary>
    public MetadataSeam Metadata { get; init; } = (request, _, _) => Task.FromResult(request);

    /// <summary>The steps of a run, in order.</summary>
    public static IReadOnlyList<IApplyStep> Steps(IReadOnlyList<IBootStep> bootSteps) =>
        [new RecordIntentStep(), new ConfigureBootloaderStep(), new RebootStep(), new BootStepsStep(bootSteps)];

    /// <param name="request">The root, configuration and options of the run.</param>
    /// <param name="arrangeSteps">Lets a caller wrap or reorder the steps (tests stop runs between steps with it).</param>
    /// <param name="cancellationToken">Stops the run between tool calls.</param>
    public async Task<ApplyReport> RunAsync(ApplyRequest request, Func<IReadOnlyList<IApplyStep>, IReadOnlyList<IApplyStep>>? arrangeSteps = null, CancellationToken cancellationToken = default)
    {
        // A dry run changes nothing, not even the lock file under /run.
        using var held = request.DryRun ? null : ApplyLock.Acquire(request.Root);
        var store = new StateStore(request.Root);
        var state = store.Read();
        var configuration = await Metadata(new ConfigurationRequest(request.Root, request.ConfigFiles, request.Sets), request.Offline, cancellationToken).ConfigureAwait(false);
        var settings = ConfigurationLoader.Load(configuration).Settings;
        var facts = MachineFacts.Read(request.Root);
        var plan = Planner.Make(facts, settings, state.KernelArguments.Owned);
        var tools = new BootTools(request.Root, runner);
        var bootloader = BootloaderDetector.Select(settings.Bootloader, tools);
        if (request.DryRun)
        {
            output.WriteLine($"dry run: nothing is changed; bootloader: {bootloader.Description}");
        }

        var context = new ApplyContext(request.Root, plan, facts, bootloader, tools, store, state, request.Reboot ?? settings.Reboot, request.DryRun, time, output);
        var steps = Steps(BootSteps);
        return await ApplyPipeline.RunAsync(context, arrangeSteps?.Invoke(steps) ?? steps, cancellationToken).ConfigureAwait(false);
    }
}
