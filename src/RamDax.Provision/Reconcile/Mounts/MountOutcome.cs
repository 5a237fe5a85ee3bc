using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Mounts;

/// <summary>Where a planned mount stands after stage 4.</summary>
public sealed record MountOutcome(PlannedNamespace Planned, ReconcileItem Item);
