namespace RamDax.Provision.Apply;

/// <summary>Another run holds the lock.</summary>
public sealed class ApplyBusyException(string path)
    : ProvisionException($"another ramdax-provision run holds {path}; wait for it to finish (systemctl status ramdax-provision) and try again", ExitCodes.Busy);
