using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Namespaces;

/// <summary>Where a planned namespace stands after stage 2, and the namespace on the machine when it is in place.</summary>
public sealed record NamespaceOutcome(PlannedNamespace Planned, NdctlNamespace? Actual, ReconcileItem Item)
{
    public bool InPlace => Item.InPlace && Actual is not null;
}
