namespace RamDax.Provision.Reconcile.Readers;

/// <summary>ndctl printed something that is not the JSON it documents.</summary>
public sealed class NdctlOutputException(string detail)
    : ProvisionException($"cannot read ndctl's JSON output: {detail}; is ndctl 70 or newer installed?", ExitCodes.Failed);
