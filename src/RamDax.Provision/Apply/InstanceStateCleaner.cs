using RamDax.Provision.Machine;
using RamDax.Provision.State;

namespace RamDax.Provision.Apply;

/// <summary>
/// <c>ramdax-provision clean</c>, for image builders (and cloud-init's clean.d hook): forgets the
/// per-instance state (instance id, reboot marker, last run) so the image provisions afresh on its
/// next first boot. Which kernel arguments the agent wrote into the image's boot configuration is
/// machine state, not instance state: it is kept, so the next instance can still replace them.
/// </summary>
public static class InstanceStateCleaner
{
    public static int Run(MachineRoot root, TextWriter output)
    {
        using var held = ApplyLock.Acquire(root);
        var store = new StateStore(root);
        if (!store.Exists)
        {
            new PlanRecord(root).Forget();
            output.WriteLine($"{store.Path} does not exist: nothing to clean");
            return ExitCodes.Ok;
        }

        var state = store.Read();
        new PlanRecord(root).Forget();
        store.Write(new ProvisionState
        {
            KernelArguments = new KernelArgumentState
            {
                Owned = state.KernelArguments.Owned,
                Backend = state.KernelArguments.Backend,
                Files = state.KernelArguments.Files,
            },
        });
        output.WriteLine($"forgot the per-instance state in {store.Path}"
            + (state.KernelArguments.Owned.IsEmpty ? "" : $"; kept the owned kernel arguments {string.Join(' ', state.KernelArguments.Owned)} so the next first boot can replace them"));
        return ExitCodes.Ok;
    }
}
