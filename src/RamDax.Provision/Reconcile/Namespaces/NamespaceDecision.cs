using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Namespaces;

/// <summary>What to do about one planned namespace, decided from facts alone.</summary>
public abstract record NamespaceDecision(PlannedNamespace Planned)
{
    /// <summary>It is there as planned (a warm boot keeps the label area and the data).</summary>
    public sealed record Reuse(PlannedNamespace Planned, NdctlNamespace Existing) : NamespaceDecision(Planned);

    /// <summary>It is missing: <c>ndctl create-namespace -r REGION ...</c>.</summary>
    public sealed record Create(PlannedNamespace Planned, bool AfterColdBoot, string Why) : NamespaceDecision(Planned);

    /// <summary>It differs and <c>reconfigure: true</c> allows replacing it: destroy, then create.</summary>
    public sealed record Recreate(PlannedNamespace Planned, NdctlNamespace Existing, string Drift) : NamespaceDecision(Planned);

    /// <summary>nd_e820: turn the region's one namespace into the planned mode (<c>create-namespace -e ... -f</c>).</summary>
    public sealed record Convert(PlannedNamespace Planned, NdctlNamespace Existing, bool AfterColdBoot, string Why) : NamespaceDecision(Planned);

    /// <summary>It differs from the plan and may not be touched; reported as drifted.</summary>
    public sealed record LeaveDrifted(PlannedNamespace Planned, NdctlNamespace? Existing, string Reason) : NamespaceDecision(Planned);

    /// <summary>It cannot be put in place at all; reported as failed.</summary>
    public sealed record Impossible(PlannedNamespace Planned, string Reason) : NamespaceDecision(Planned);
}
