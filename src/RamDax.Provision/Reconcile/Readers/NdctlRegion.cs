using System.Collections.Immutable;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>A region as <c>ndctl list -R -N</c> reports it, with its namespaces.</summary>
public sealed record NdctlRegion(string Dev, ulong Size, ulong AvailableSize, ImmutableArray<NdctlNamespace> Namespaces);
