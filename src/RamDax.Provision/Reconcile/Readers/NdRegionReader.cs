using System.Collections.Immutable;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>Reads the nd regions from sysfs. Regions are known by their address, never by their index.</summary>
public static class NdRegionReader
{
    public const string NdDevices = NumaTopology.RegionDirectory;

    /// <summary>Every region with a readable resource and size; none when the nd bus is not there yet.</summary>
    public static ImmutableArray<NdRegion> Read(MachineRoot root)
    {
        if (!root.DirectoryExists(NdDevices))
        {
            return [];
        }

        var regions = ImmutableArray.CreateBuilder<NdRegion>();
        foreach (var name in root.ListNames(NdDevices).Where(IsRegion))
        {
            var start = SysfsNumber.TryParse(root.TryReadText($"{NdDevices}/{name}/resource"));
            var size = SysfsNumber.TryParse(root.TryReadText($"{NdDevices}/{name}/size"));
            if (start is { } s && size is { } z)
            {
                regions.Add(new NdRegion(name, s, z));
            }
        }

        return regions.ToImmutable();
    }

    private static bool IsRegion(string name) =>
        name.StartsWith("region", StringComparison.Ordinal) && name.Length > 6 && name[6..].All(char.IsAsciiDigit);
}
