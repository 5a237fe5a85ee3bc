using System.Collections.Immutable;

namespace RamDax.Provision.Reconcile.Namespaces;

/// <summary>Stage 2's result: one outcome per planned namespace in plan order, and the report lines of namespaces nobody planned.</summary>
public sealed record NamespaceStageResult(ImmutableArray<NamespaceOutcome> Outcomes, ImmutableArray<ReconcileItem> Unplanned);
