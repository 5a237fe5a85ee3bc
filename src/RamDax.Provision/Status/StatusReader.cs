using System.Collections.Immutable;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.State;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Status;

/// <summary>Builds <see cref="StatusReport"/> from the state file and the running command line; changes nothing.</summary>
public static class StatusReader
{
    public static StatusReport Read(MachineRoot root, IToolRunner runner)
    {
        var state = new StateStore(root).Read();
        var k = state.KernelArguments;
        var running = root.FileExists(KernelCommandLine.Path) ? KernelCommandLine.Read(root) : new KernelCommandLine([]);
        var backend = k.Backend?.Word() ?? BootloaderDetector.Detect(new BootTools(root, runner)).Word() + " (detected)";
        return new StatusReport(
            state.InstanceId,
            new KernelArgumentStatus(
                k.Wanted,
                [.. k.Wanted.Where(running.Contains)],
                [.. k.Wanted.Where(a => !running.Contains(a))],
                [.. k.Owned.Where(a => running.Contains(a) && !k.Wanted.Contains(a))],
                backend,
                k.Files,
                k.Reboot,
                k.Error),
            state.LastRun,
            ReconcileReport.Read(root));
    }

}
