using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile.Binding;

/// <summary>
/// The <c>e820_pmem</c> platform device the kernel makes for all <c>memmap=SIZE!START</c> ranges,
/// and the driver holding it (null when none does).
/// </summary>
public sealed record PlatformDevice(bool Exists, string? Driver)
{
    public const string Name = "e820_pmem";
    public const string DevicePath = "/sys/bus/platform/devices/" + Name;
    public const string DriverOverridePath = DevicePath + "/driver_override";
    public const string DriversProbePath = "/sys/bus/platform/drivers_probe";
    public const string RamdaxDriver = "ramdax";
    public const string NdE820Driver = "nd_e820";

    public static string UnbindPath(string driver) => $"/sys/bus/platform/drivers/{driver}/unbind";

    public static PlatformDevice Read(MachineRoot root)
    {
        if (!root.DirectoryExists(DevicePath))
        {
            return new PlatformDevice(false, null);
        }

        // The driver link points at ../../../bus/platform/drivers/NAME; only its last part matters.
        var link = new FileInfo(root.Resolve(DevicePath + "/driver")).LinkTarget;
        return new PlatformDevice(true, link is null ? null : Path.GetFileName(link.TrimEnd('/')));
    }

    /// <summary>The names of the regions the device's nd bus holds (<c>e820_pmem/ndbusN/regionM</c>).</summary>
    public static IReadOnlyList<string> RegionNames(MachineRoot root)
    {
        if (!root.DirectoryExists(DevicePath))
        {
            return [];
        }

        return [.. root.ListNames(DevicePath)
            .Where(n => n.StartsWith("ndbus", StringComparison.Ordinal))
            .SelectMany(bus => root.ListNames($"{DevicePath}/{bus}"))
            .Where(n => n.StartsWith("region", StringComparison.Ordinal))];
    }
}
