using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;

namespace RamDax.Provision.Reconcile.Namespaces;

/// <summary>
/// Everything the namespace decision needs about one region: ndctl's view of it, the mounts, and
/// (nd_e820 only) the signatures on its raw block devices, keyed by device path.
/// </summary>
public sealed record RegionFacts(NdctlRegion Region, MountTable Mounts, ImmutableDictionary<string, BlkidSignature> RawSignatures)
{
    public RegionFacts(NdctlRegion region, MountTable mounts)
        : this(region, mounts, ImmutableDictionary<string, BlkidSignature>.Empty)
    {
    }
}
