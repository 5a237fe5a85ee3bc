namespace RamDax.Provision.Reconcile.Binding;

/// <summary>What must happen for the planned driver to hold <c>e820_pmem</c>.</summary>
public abstract record BindingAction
{
    private BindingAction()
    {
    }

    /// <summary>The planned driver already holds it.</summary>
    public sealed record AlreadyBound(string Driver) : BindingAction;

    /// <summary>Force-bind ramdax through <c>driver_override</c>; release nd_e820 first when it holds the device.</summary>
    public sealed record BindRamdax(bool UnbindNdE820) : BindingAction;

    /// <summary>Load nd_e820, which binds by name (kernels without ramdax).</summary>
    public sealed record LoadNdE820 : BindingAction;

    /// <summary>It cannot be done safely; nothing is changed.</summary>
    public sealed record Refuse(string Reason) : BindingAction;
}
