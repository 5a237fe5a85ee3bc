namespace RamDax.Provision.Reconcile.Readers;

/// <summary>An nd region as sysfs shows it: <c>/sys/bus/nd/devices/regionN/{resource,size}</c>.</summary>
public sealed record NdRegion(string Name, ulong Start, ulong Size)
{
    public ulong End => Start + Size;
}
