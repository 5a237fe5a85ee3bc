using System.Collections.Immutable;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// <c>ramdax-provision revert</c>: takes every argument the agent owns out of the boot
/// configuration (removing its files) and rebuilds it. Namespaces and their data stay:
/// <c>ndctl destroy-namespace</c> removes them.
/// </summary>
public sealed class Reverter(IToolRunner runner, TextWriter output)
{
    public async Task<int> RunAsync(MachineRoot root, CancellationToken cancellationToken = default)
    {
        using var held = ApplyLock.Acquire(root);
        var store = new StateStore(root);
        var state = store.Read();
        var tools = new BootTools(root, runner);
        var kind = state.KernelArguments.Backend ?? BootloaderKind.Auto;
        var bootloader = BootloaderDetector.Select(kind, tools);
        var owned = state.KernelArguments.Owned.Concat(state.KernelArguments.Wanted).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var target = KernelArgumentTarget.From([], owned);
        if (bootloader is GrubDropIn && root.FileExists(GrubDropIn.DropInPath) && target.IsEmpty)
        {
            // The state was lost but our drop-in is there: it holds only our arguments, so it can go.
            target = KernelArgumentTarget.From([], KernelCommandLine.Parse(root.ReadText(GrubDropIn.DropInPath)).Arguments.Where(a => a.StartsWith("memmap=", StringComparison.Ordinal)));
        }

        if (target.IsEmpty && !root.FileExists(GrubDropIn.DropInPath))
        {
            output.WriteLine("no kernel arguments of ours are in the boot configuration; nothing to revert");
        }
        else if (bootloader.Kind == BootloaderKind.None)
        {
            output.WriteLine($"no bootloader backend: remove these kernel arguments yourself: {string.Join(' ', target.Stale)}");
        }
        else if (!bootloader.IsConfigured(target) || root.FileExists(GrubDropIn.DropInPath))
        {
            var change = await bootloader.ConfigureAsync(target, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"removed {string.Join(' ', target.Stale)} from {bootloader.Description}; ran {string.Join("; ", change.CommandsRun)}");
        }

        var running = root.FileExists(KernelCommandLine.Path) ? KernelCommandLine.Read(root) : new KernelCommandLine([]);
        var live = owned.Where(running.Contains).ToImmutableArray();
        store.Write(state with
        {
            KernelArguments = new KernelArgumentState
            {
                Backend = state.KernelArguments.Backend,
                Reboot = live.IsEmpty ? RebootState.NotNeeded : RebootState.Pending,
            },
        });
        if (!live.IsEmpty)
        {
            output.WriteLine($"the running kernel still has {string.Join(' ', live)}: reboot to release the carved memory");
        }

        output.WriteLine("namespaces and their data were left alone (ndctl destroy-namespace removes them)");

        return ExitCodes.Ok;
    }
}
