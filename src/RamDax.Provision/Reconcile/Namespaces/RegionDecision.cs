using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;

namespace RamDax.Provision.Reconcile.Namespaces;

/// <summary>The decisions for one region's planned namespaces, in plan order, and what it holds that nobody planned.</summary>
public sealed record RegionDecision(ImmutableArray<NamespaceDecision> Decisions, ImmutableArray<NdctlNamespace> Unplanned);
