namespace RamDax.Provision.State;

/// <summary>The state file cannot be read back.</summary>
/// <summary>One of the agent's own files (state, plan, status) cannot be read back.</summary>
public sealed class StateDamagedException(string path, string detail)
    : ProvisionException(
        $"the agent's file {path} is damaged or not its own ({detail}); run 'ramdax-provision revert' to take the agent's "
        + "kernel arguments out while it still knows them, or 'ramdax-provision clean' to forget the state and plan "
        + "(then check the boot configuration for stale memmap= arguments), and run again: the agent re-plans from the machine",
        ExitCodes.InputMissing);
