using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Binding;

/// <summary>Pure: the planned driver, the device's current driver and whether its devices are in use decide the binding.</summary>
public static class BindingDecider
{
    /// <param name="planned">The driver the plan wants.</param>
    /// <param name="device">The platform device as read.</param>
    /// <param name="inUse">Why the devices of the current driver are in use (mounted), or null when they are not.</param>
    public static BindingAction Decide(DriverKind planned, PlatformDevice device, string? inUse)
    {
        if (!device.Exists)
        {
            return new BindingAction.Refuse(
                $"{PlatformDevice.DevicePath} does not exist: the running kernel has no memmap=SIZE!START range; "
                + "the kernel arguments are not live yet (check /proc/cmdline, and reboot after apply wrote them)");
        }

        var wanted = planned == DriverKind.Ramdax ? PlatformDevice.RamdaxDriver : PlatformDevice.NdE820Driver;
        if (device.Driver == wanted)
        {
            return new BindingAction.AlreadyBound(PlatformDevice.KnownAs(wanted));
        }

        return (planned, device.Driver) switch
        {
            (DriverKind.Ramdax, null) => new BindingAction.BindRamdax(UnbindNdE820: false),
            (DriverKind.Ramdax, PlatformDevice.NdE820Driver) when inUse is null => new BindingAction.BindRamdax(UnbindNdE820: true),
            (DriverKind.Ramdax, PlatformDevice.NdE820Driver) => new BindingAction.Refuse(
                $"nd_e820 holds {PlatformDevice.Name} and its devices are in use ({inUse}); unmount them and run again, "
                + "or add modprobe.blacklist=nd_e820 to the kernel command line so it never takes the device"),
            (DriverKind.NdE820, null) => new BindingAction.LoadNdE820(),
            _ => new BindingAction.Refuse(
                $"{PlatformDevice.Name} is held by '{device.Driver}', not {PlatformDevice.KnownAs(wanted)}; unbind it "
                + $"(echo {PlatformDevice.Name} > {PlatformDevice.UnbindPath(device.Driver!)}) if nothing uses it, and run again"),
        };
    }
}
