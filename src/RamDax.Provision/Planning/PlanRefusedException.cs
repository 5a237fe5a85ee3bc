namespace RamDax.Provision.Planning;

/// <summary>The configuration is valid but this machine cannot satisfy it. Nothing is changed.</summary>
public sealed class PlanRefusedException(string reason)
    : ProvisionException("the plan is refused: " + reason, ExitCodes.PlanRefused)
{
    public string Reason { get; } = reason;
}
