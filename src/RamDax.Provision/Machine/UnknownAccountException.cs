namespace RamDax.Provision.Machine;

/// <summary>A user or group name the machine's account files do not have.</summary>
public sealed class UnknownAccountException(string kind, string name, string file)
    : ProvisionException($"{kind} '{name}' is not in {file}; create it first (adduser --system, or a sysusers.d file) or give its numeric id", ExitCodes.ConfigurationInvalid);
