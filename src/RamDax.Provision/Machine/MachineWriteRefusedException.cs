namespace RamDax.Provision.Machine;

/// <summary>A path under the machine root cannot be written safely; nothing was written.</summary>
public sealed class MachineWriteRefusedException(string path, string reason)
    : ProvisionException($"cannot write {path}: {reason}", ExitCodes.CannotCreate);
