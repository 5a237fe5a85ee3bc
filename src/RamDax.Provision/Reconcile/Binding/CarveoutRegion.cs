using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Binding;

/// <summary>A planned carve-out and the region found at its address (null when none is there).</summary>
public sealed record CarveoutRegion(int Index, PlannedCarveout Carveout, NdRegion? Region, ReconcileItem Item);
