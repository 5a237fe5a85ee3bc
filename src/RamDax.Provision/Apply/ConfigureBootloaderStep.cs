using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Apply;

/// <summary>
/// Makes the boot configuration carry the wanted arguments (and drop our stale ones) through the
/// selected backend, then reads it back: the check is what the bootloader will read, not what was
/// written. Ownership shrinks to the wanted arguments only once the stale ones are gone.
/// </summary>
public sealed class ConfigureBootloaderStep : IApplyStep
{
    public string Name => "write the kernel arguments into the boot configuration";

    public StepDecision Decide(ApplyContext context)
    {
        var target = context.Target;
        var bootloader = context.Bootloader;
        if (target.IsEmpty)
        {
            return StepOutcome.InPlace("no kernel arguments are wanted or owned");
        }

        if (bootloader.Kind == BootloaderKind.None && context.Plan.KernelArguments.Satisfied)
        {
            return StepOutcome.InPlace("the running kernel has them; with bootloader none, keeping them across kernel updates is the operator's job");
        }

        if (bootloader.IsConfigured(target))
        {
            RecordOwnership(context, target, bootloader.Files);
            return StepOutcome.InPlace($"{bootloader.Description} already carries {Describe(target)}");
        }

        return StepDecision.Act(
            $"write {Describe(target)} with {bootloader.Description} (files: {string.Join(", ", bootloader.Files)})",
            cancellationToken => ConfigureAsync(context, target, cancellationToken));
    }

    private static async Task<StepOutcome> ConfigureAsync(ApplyContext context, KernelArgumentTarget target, CancellationToken cancellationToken)
    {
        var bootloader = context.Bootloader;
        var change = await bootloader.ConfigureAsync(target, cancellationToken).ConfigureAwait(false);
        if (!bootloader.IsConfigured(target))
        {
            throw new BootConfigurationException(
                $"{bootloader.Description}: ran {string.Join("; ", change.CommandsRun)}, but {string.Join(", ", change.FilesWritten)} "
                + $"still do not carry {Describe(target)}; look for another tool managing the boot configuration, or set bootloader: explicitly");
        }

        RecordOwnership(context, target, change.FilesWritten);
        return StepOutcome.Done($"wrote {string.Join(", ", change.FilesWritten)}; ran {string.Join("; ", change.CommandsRun)}");
    }

    private static void RecordOwnership(ApplyContext context, KernelArgumentTarget target, IReadOnlyList<string> files)
    {
        var k = context.State.KernelArguments;
        var backend = context.Bootloader.Kind;
        if (k.Owned.SequenceEqual(target.Wanted) && k.Backend == backend && k.Files.SequenceEqual(files))
        {
            return;
        }

        context.Record(s => s with { KernelArguments = s.KernelArguments with { Owned = target.Wanted, Backend = backend, Files = [.. files] } });
    }

    private static string Describe(KernelArgumentTarget target) =>
        (target.Wanted.IsEmpty ? "no arguments of ours" : string.Join(' ', target.Wanted))
        + (target.Stale.IsEmpty ? "" : $" (and without {string.Join(' ', target.Stale)})");
}
