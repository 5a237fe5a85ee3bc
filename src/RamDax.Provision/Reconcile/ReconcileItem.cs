namespace RamDax.Provision.Reconcile;

/// <summary>
/// One line of the report. <see cref="Name"/> is the planned thing (a namespace name, a carve-out
/// index); <see cref="Target"/> is what it is on the machine (<c>region0</c>, <c>namespace0.0</c>,
/// <c>/dev/pmem0</c>, a mount path). <see cref="Planned"/> is false for things found on the machine
/// that the configuration does not mention: they are reported, never touched, and do not make the
/// run fail.
/// </summary>
public sealed record ReconcileItem(ItemKind Kind, string Name, string? Target, ItemState State, string Reason, bool Planned = true)
{
    /// <summary>Whether this item is as the plan wants it (made now or found so).</summary>
    public bool InPlace => State is ItemState.Ok or ItemState.Created or ItemState.RecreatedAfterColdBoot;
}
