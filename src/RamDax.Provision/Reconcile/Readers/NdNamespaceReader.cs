using System.Collections.Immutable;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>
/// Reads a region's namespaces from sysfs, without running ndctl: what <c>ndctl list -R -N -r
/// REGION</c> reports, from the same attributes libndctl reads. The kernel names every device of a
/// region after it (<c>drivers/nvdimm</c>: <c>namespaceR.N</c>, <c>pfnR.N</c>, <c>daxR.N</c>,
/// <c>btt R.N</c>), so a region's devices are found by name. A namespace counts when ndctl lists it:
/// bound to a driver itself, or claimed by a pfn, dax or btt device that is (an idle seed with
/// size 0 is not listed). Its mode is who claims it (the namespace's <c>mode</c> attribute: raw,
/// safe, memory, dax, which ndctl calls raw, sector, fsdax, devdax); the size ndctl reports is the
/// claiming device's (usable, after the info block) and otherwise the namespace's own; the name is
/// <c>alt_name</c>; the uuid is the claiming device's (its info block's) or the namespace's; the block device is the <c>block/</c> child of the claiming device or of the
/// namespace, the character device the <c>daxR.N</c> child of the dax device.
/// </summary>
public static class NdNamespaceReader
{
    private const string Devices = NdRegionReader.NdDevices;

    /// <summary>
    /// The region with its listed namespaces; null when sysfs has no such region. A namespace that
    /// holds space but is not bound yet (its claiming pfn or dax device still being registered, its
    /// driver not loaded yet) is waited for, up to <paramref name="settleAttempts"/> readings 100 ms
    /// apart; what is still unbound then is left out, as ndctl leaves it out.
    /// </summary>
    public static NdctlRegion? Read(MachineRoot root, string region, int settleAttempts = 30)
    {
        for (var attempt = 1; ; attempt++)
        {
            var read = ReadOnce(root, region, out var unsettled);
            if (read is null || !unsettled || attempt >= settleAttempts)
            {
                return read;
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(100));
        }
    }

    private static NdctlRegion? ReadOnce(MachineRoot root, string region, out bool unsettled)
    {
        unsettled = false;
        if (!IsIndexed(region, "region", out var id) || !root.DirectoryExists($"{Devices}/{region}"))
        {
            return null;
        }

        WaitForProbing(root);
        var size = SysfsNumber.TryParse(root.TryReadText($"{Devices}/{region}/size"));
        if (size is null)
        {
            return null;
        }

        // A region without label space (nd_e820's) has no available_size; ndctl reports 0.
        var available = SysfsNumber.TryParse(root.TryReadText($"{Devices}/{region}/available_size")) ?? 0;

        var namespaces = ImmutableArray.CreateBuilder<NdctlNamespace>();
        foreach (var name in root.ListNames(Devices).Where(n => IsOfRegion(n, "namespace", id)))
        {
            if (ReadNamespace(root, name) is { } ns)
            {
                namespaces.Add(ns);
            }
            else if (SysfsNumber.TryParse(root.TryReadText($"{Devices}/{name}/size")) is > 0)
            {
                // Space without a bound device: not yet, or disabled by hand (ndctl disable-namespace).
                unsettled = true;
            }
        }

        return new NdctlRegion(region, size.Value, available, namespaces.ToImmutable());
    }

    // The kernel registers and probes a region's namespaces, pfn and dax devices asynchronously
    // after the region itself appears. Reading a bus's wait_probe returns once that is done
    // (nd_synchronize, then the bus's probes idle: drivers/nvdimm/core.c), as libndctl waits
    // (ndctl_bus_wait_probe) before it lists anything.
    private static void WaitForProbing(MachineRoot root)
    {
        foreach (var bus in root.ListNames(Devices).Where(n => IsIndexed(n, "ndbus", out _)))
        {
            root.TryReadText($"{Devices}/{bus}/wait_probe");
        }
    }

    private static NdctlNamespace? ReadNamespace(MachineRoot root, string name)
    {
        var dir = $"{Devices}/{name}";
        var holder = Text(root, $"{dir}/holder");
        var claim = string.IsNullOrEmpty(holder) ? null : $"{Devices}/{holder}";
        var active = claim is null ? HasDriver(root, dir) : HasDriver(root, claim);
        if (!active)
        {
            return null;
        }

        var mode = Text(root, $"{dir}/mode") switch
        {
            "memory" => "fsdax",
            "dax" => "devdax",
            "safe" => "sector",
            { Length: > 0 } other => other,
            _ => "raw",
        };
        var size = SysfsNumber.TryParse(root.TryReadText($"{claim ?? dir}/size"));
        if (size is null)
        {
            return null;
        }

        var alt = Text(root, $"{dir}/alt_name");
        // ndctl reports the claiming device's uuid (the info block's), not the namespace label's.
        var uuid = Text(root, $"{claim ?? dir}/uuid");
        var align = claim is not null ? SysfsNumber.TryParse(root.TryReadText($"{claim}/align")) : null;
        var block = FirstChild(root, $"{claim ?? dir}/block", _ => true);
        var chardev = mode == "devdax" && claim is not null
            ? FirstChild(root, claim, n => n.StartsWith("dax", StringComparison.Ordinal) && root.FileExists($"{claim}/{n}/dev"))
            : null;
        return new NdctlNamespace(name, mode, size.Value, string.IsNullOrEmpty(alt) ? null : alt,
            string.IsNullOrEmpty(uuid) ? null : uuid, align, mode == "devdax" ? null : block, chardev);
    }

    private static string? Text(MachineRoot root, string path) => root.TryReadText(path)?.Trim();

    // A bound device has a driver link (to ../../bus/nd/drivers/NAME); only its presence matters.
    private static bool HasDriver(MachineRoot root, string dir) =>
        new FileInfo(root.Resolve($"{dir}/driver")).LinkTarget is not null;

    private static string? FirstChild(MachineRoot root, string dir, Func<string, bool> accept) =>
        root.DirectoryExists(dir) ? root.ListNames(dir).FirstOrDefault(accept) : null;

    private static bool IsOfRegion(string name, string kind, int region) =>
        name.StartsWith(kind, StringComparison.Ordinal)
        && name[kind.Length..].Split('.') is [var r, var n]
        && int.TryParse(r, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rid) && rid == region
        && n.Length > 0 && n.All(char.IsAsciiDigit);

    private static bool IsIndexed(string name, string kind, out int id)
    {
        id = -1;
        return name.StartsWith(kind, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(kind.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
    }
}
