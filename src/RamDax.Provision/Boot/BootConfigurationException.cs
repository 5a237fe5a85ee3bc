namespace RamDax.Provision.Boot;

/// <summary>The kernel arguments could not be made to last, or a reboot did not bring them.</summary>
public sealed class BootConfigurationException(string message)
    : ProvisionException(message, ExitCodes.Failed);
