namespace RamDax.Provision.Reconcile;

/// <summary>
/// A step of the reconcile failed; the message says which step and on what
/// ("create namespace 'store' failed: ..."), followed by the cause.
/// </summary>
public sealed class ReconcileStepException(string step, string detail, Exception? inner = null)
    : ProvisionException($"{step} failed: {detail}", ExitCodes.Failed, inner)
{
    /// <summary>The step, like <c>create namespace 'store'</c>.</summary>
    public string Step { get; } = step;

    /// <summary>Wraps any failure of <paramref name="step"/> with that context, keeping the cause's own words.</summary>
    public static ReconcileStepException Wrap(string step, Exception e) => e switch
    {
        ReconcileStepException already when already.Step == step => already,
        Tools.ToolFailedException tool => new ReconcileStepException(step, tool.Message, e),
        _ => new ReconcileStepException(step, e.Message, e),
    };
}
