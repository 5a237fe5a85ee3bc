using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile.Readers;

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

    /// <summary>
    /// The platform driver of the nd_e820 module as sysfs names it: it registers under the device's
    /// own name (<c>drivers/nvdimm/e820.c</c>), so a held device links to <c>drivers/e820_pmem</c>,
    /// never <c>drivers/nd_e820</c> (seen on Debian 12's 6.1 kernel).
    /// </summary>
    public const string NdE820Driver = Name;

    /// <summary>The module holding that driver: the name modprobe and <c>modprobe.blacklist=</c> take.</summary>
    public const string NdE820Module = "nd_e820";

    /// <summary>The name people know a driver by: the module name for nd_e820's driver, the driver's own otherwise.</summary>
    public static string KnownAs(string driver) => driver == NdE820Driver ? NdE820Module : driver;

    /// <summary>
    /// The modules of the drivers that take a region's namespaces (fsdax and raw; devdax and its
    /// character device), each with the sysfs directory its driver has once it is loaded.
    /// </summary>
    public static readonly (string Module, string Directory)[] NamespaceDrivers =
    [
        ("nd_pmem", "/sys/bus/nd/drivers/nd_pmem"),
        ("dax_pmem", "/sys/bus/nd/drivers/dax_pmem"),
        ("device_dax", "/sys/bus/dax/drivers/device_dax"),
    ];

    /// <summary>The namespace drivers' modules whose driver sysfs does not show yet.</summary>
    public static IEnumerable<string> MissingNamespaceDrivers(MachineRoot root) =>
        NamespaceDrivers.Where(d => !root.DirectoryExists(d.Directory)).Select(d => d.Module);

    public static string DriverDirectory(string driver) => $"/sys/bus/platform/drivers/{driver}";

    public static string UnbindPath(string driver) => $"{DriverDirectory(driver)}/unbind";

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
