using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Filesystems;

/// <summary>Where a planned filesystem stands after stage 3; <see cref="Signature"/> is the one on the device when it is in place.</summary>
public sealed record FilesystemOutcome(PlannedNamespace Planned, string? Device, BlkidSignature? Signature, ReconcileItem Item)
{
    public bool InPlace => Item.InPlace && Device is not null && Signature is not null;
}
