using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// Reboots only when the running kernel (<c>/proc/cmdline</c>) lacks the wanted arguments and the
/// boot configuration now has them, and at most once per wanted state: the "rebooted for" marker
/// is recorded before the reboot, so if the next boot still lacks the arguments the agent reports
/// instead of looping. The marker carries the boot id, so a run stopped between recording it and
/// rebooting still reboots on its next try in the same boot.
/// </summary>
public sealed class RebootStep : IApplyStep
{
    private static readonly TimeSpan SystemctlTimeout = TimeSpan.FromMinutes(1);

    public string Name => "reboot into the kernel arguments";

    public StepDecision Decide(ApplyContext context)
    {
        var arguments = context.Plan.KernelArguments;
        var k = context.State.KernelArguments;
        if (arguments.Satisfied)
        {
            if (k.Reboot != RebootState.NotNeeded || k.RebootedFor is not null || k.Error is not null)
            {
                context.Record(s => s with { KernelArguments = s.KernelArguments with { Reboot = RebootState.NotNeeded, RebootedFor = null, RebootRequestedInBoot = null, Error = null } });
            }

            return StepOutcome.InPlace(arguments.Wanted.IsEmpty ? "no kernel arguments are wanted" : "the running kernel has " + string.Join(' ', arguments.Wanted));
        }

        var missing = Missing(context);
        if (!context.Bootloader.IsConfigured(context.Target))
        {
            // A run that carries out its steps has stopped at the boot configuration step's failure
            // before this; only a run that printed that step's write finds it not done yet.
            return StepDecision.Act(
                $"reboot ({context.Reboot.Word()}) once the boot configuration carries them, for {missing}",
                _ => throw new BootConfigurationException($"the running kernel lacks {missing}, but {context.Bootloader.Description} does not carry them; not rebooting"));
        }

        if (k.RebootedFor is { } rebootedFor && rebootedFor.SequenceEqual(arguments.Wanted) && k.RebootRequestedInBoot != context.BootId)
        {
            var error = $"rebooted once for {string.Join(' ', arguments.Wanted)}, but the running kernel still lacks {missing} "
                + $"(/proc/cmdline: {context.Facts.CommandLine}). The {context.Bootloader.Description} wrote {string.Join(", ", k.Files)}; "
                + "the machine probably boots through another bootloader or entry. Not rebooting again: set bootloader: to the one in use "
                + "(or add the arguments by hand), then reboot; 'ramdax-provision status' shows the details";
            context.Record(s => s with { KernelArguments = s.KernelArguments with { Reboot = RebootState.Failed, Error = error } });
            throw new BootConfigurationException(error);
        }

        if (context.Reboot == RebootMode.Never)
        {
            if (k.Reboot != RebootState.Pending)
            {
                context.Record(s => s with { KernelArguments = s.KernelArguments with { Reboot = RebootState.Pending } });
            }

            return StepOutcome.Pending($"reboot pending: the boot configuration carries {missing}; reboot to make them live (reboot: never)");
        }

        return StepDecision.Act($"reboot ({context.Reboot.Word()}) for {missing}", cancellationToken => RebootAsync(context, missing, cancellationToken));
    }

    // Waits for cloud-init, records the loop guard's marker, then asks systemd (kexec first when
    // configured and loadable, a normal reboot otherwise).
    private static async Task<StepOutcome> RebootAsync(ApplyContext context, string missing, CancellationToken cancellationToken)
    {
        var arguments = context.Plan.KernelArguments;
        await CloudInitWait.WaitAsync(context, cancellationToken).ConfigureAwait(false);
        var bootId = context.BootId;
        context.Record(s => s with
        {
            KernelArguments = s.KernelArguments with
            {
                Reboot = RebootState.Requested,
                RebootedFor = arguments.Wanted,
                RebootRequestedInBoot = bootId,
                RebootRequestedAt = context.Time.GetUtcNow(),
            },
        });

        var verb = context.Reboot == RebootMode.Kexec && await KexecReboot.LoadAsync(context, cancellationToken).ConfigureAwait(false) ? "kexec" : "reboot";
        var result = await RequestAsync(context, verb, missing, cancellationToken).ConfigureAwait(false);
        if (result is { Succeeded: false } && verb == "kexec")
        {
            if (await ShutdownBegunAsync(context, cancellationToken).ConfigureAwait(false))
            {
                // The kexec job was queued and its shutdown killed systemctl before it returned: a
                // reboot asked for now would replace the kexec (seen in the test guest).
                result = null;
            }
            else
            {
                context.Say($"{result.CommandLine} failed: rebooting normally");
                verb = "reboot";
                result = await RequestAsync(context, verb, missing, cancellationToken).ConfigureAwait(false);
            }
        }

        if (result is null)
        {
            // The shutdown asked for stops this unit as it begins, and may do so before systemctl
            // returns. The marker is recorded: should no reboot follow, the next run of this boot asks again.
            return StepOutcome.Rebooting($"systemctl {verb} requested for {missing}; the shutdown stopped this run as it began");
        }

        if (!result.Succeeded)
        {
            // No reboot happened: take the marker back so the loop guard does not fire on a reboot that never was.
            context.Record(s => s with { KernelArguments = s.KernelArguments with { Reboot = RebootState.Pending, RebootedFor = null, RebootRequestedInBoot = null } });
            throw new ToolFailedException(result, "rebooting into the new kernel arguments");
        }

        return StepOutcome.Rebooting($"systemctl {verb} requested for {missing}");
    }

    // --no-block: systemctl returns once the job is queued rather than waiting on the shutdown that
    // stops this very unit. Null when this run was stopped while asking (the shutdown has begun).
    private static async Task<ToolResult?> RequestAsync(ApplyContext context, string verb, string missing, CancellationToken cancellationToken)
    {
        context.Say($"asking systemd to {verb} for {missing}");
        try
        {
            return await context.Runner.RunAsync(ExternalTools.Systemctl, [verb, "--no-block"], SystemctlTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    // systemd says "stopping" once a shutdown (the kexec's) is under way.
    private static async Task<bool> ShutdownBegunAsync(ApplyContext context, CancellationToken cancellationToken)
    {
        try
        {
            var state = await context.Runner.RunAsync(ExternalTools.Systemctl, ["is-system-running"], SystemctlTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return state.StandardOutput.Trim() == "stopping";
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private static string Missing(ApplyContext context)
    {
        var arguments = context.Plan.KernelArguments;
        return string.Join(' ', arguments.Add) + (arguments.Remove.IsEmpty ? "" : $" (and to drop {string.Join(' ', arguments.Remove)})");
    }
}
