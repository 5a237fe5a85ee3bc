using System.Collections.Immutable;

namespace RamDax.Provision.Reconcile.Binding;

/// <summary>What binding found: the driver line of the report and each carve-out's region.</summary>
public sealed record BindingResult(ReconcileItem Driver, ImmutableArray<CarveoutRegion> Carveouts);
