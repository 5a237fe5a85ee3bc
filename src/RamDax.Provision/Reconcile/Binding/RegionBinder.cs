using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Binding;

/// <summary>
/// Stage 1: make the planned driver hold <c>e820_pmem</c>, then find each carve-out's region by its
/// address and size, waiting a bounded time for the regions to appear.
/// </summary>
public static class RegionBinder
{
    public static async Task<BindingResult> BindAsync(Plan plan, ReconcileContext context, CancellationToken ct)
    {
        var wanted = plan.Driver.Word();
        ReconcileItem driver;
        try
        {
            driver = await BindDriverAsync(plan.Driver, context, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProvisionException)
        {
            driver = new ReconcileItem(ItemKind.Driver, wanted, PlatformDevice.Name, ItemState.Failed, ReconcileStepException.Wrap($"bind {wanted}", e).Message);
        }

        if (!driver.InPlace)
        {
            LogLines.Error(context.Log, driver.Reason);
            return new BindingResult(driver, [.. plan.Carveouts.Select((c, i) => new CarveoutRegion(i, c, null,
                new ReconcileItem(ItemKind.Carveout, c.MemmapSpec, null, ItemState.Failed, $"not attempted: {wanted} does not hold {PlatformDevice.Name}")))]);
        }

        LogLines.Info(context.Log, driver.Reason);
        var regions = await WaitForRegionsAsync(plan.Carveouts, context, ct).ConfigureAwait(false);
        var carveouts = plan.Carveouts.Select((c, i) => Match(i, c, regions)).ToImmutableArray();
        foreach (var c in carveouts)
        {
            LogLines.Write(context.Log, c.Item.InPlace ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Error,
                $"carve-out {c.Carveout.MemmapSpec}: {c.Item.Reason}");
        }

        return new BindingResult(driver, carveouts);
    }

    private static async Task<ReconcileItem> BindDriverAsync(DriverKind planned, ReconcileContext context, CancellationToken ct)
    {
        var device = PlatformDevice.Read(context.Root);
        string? inUse = null;
        if (device is { Exists: true, Driver: PlatformDevice.NdE820Driver } && planned == DriverKind.Ramdax)
        {
            inUse = await FindDevicesInUseAsync(context, ct).ConfigureAwait(false);
        }

        var action = BindingDecider.Decide(planned, device, inUse);
        switch (action)
        {
            case BindingAction.AlreadyBound bound:
                await LoadModulesAsync(null, context, ct).ConfigureAwait(false);
                return new ReconcileItem(ItemKind.Driver, bound.Driver, PlatformDevice.Name, ItemState.Ok, $"{bound.Driver} already holds {PlatformDevice.Name}");

            case BindingAction.Refuse refuse:
                return new ReconcileItem(ItemKind.Driver, planned.Word(),
                    PlatformDevice.Name, ItemState.Failed, refuse.Reason);

            case BindingAction.BindRamdax bind:
                // The recipe verified on 7.3: override first, so that whatever probes the device next picks ramdax.
                context.Writer.WriteAttribute(PlatformDevice.DriverOverridePath, PlatformDevice.RamdaxDriver);
                if (bind.UnbindNdE820)
                {
                    LogLines.Info(context.Log, $"releasing {PlatformDevice.Name} from nd_e820 (none of its devices is mounted)");
                    context.Writer.WriteAttribute(PlatformDevice.UnbindPath(PlatformDevice.NdE820Driver), PlatformDevice.Name);
                }

                await LoadModulesAsync(PlatformDevice.RamdaxDriver, context, ct).ConfigureAwait(false);
                context.Writer.WriteAttribute(PlatformDevice.DriversProbePath, PlatformDevice.Name);
                await ExpectDriverAsync(PlatformDevice.RamdaxDriver, context, ct).ConfigureAwait(false);
                return new ReconcileItem(ItemKind.Driver, PlatformDevice.RamdaxDriver, PlatformDevice.Name, ItemState.Created,
                    $"bound ramdax to {PlatformDevice.Name} through driver_override" + (bind.UnbindNdE820 ? " (released from nd_e820)" : ""));

            case BindingAction.LoadNdE820:
                await LoadModulesAsync(PlatformDevice.NdE820Module, context, ct).ConfigureAwait(false);
                await ExpectDriverAsync(PlatformDevice.NdE820Driver, context, ct).ConfigureAwait(false);
                return new ReconcileItem(ItemKind.Driver, PlatformDevice.NdE820Module, PlatformDevice.Name, ItemState.Created, $"loaded nd_e820, which took {PlatformDevice.Name}");

            default:
                throw new InvalidOperationException($"unknown binding action {action}");
        }
    }

    // Polls the device's driver link rather than running `udevadm settle`: early in the boot settle
    // waits for the whole coldplug queue (18 of the 30 s this unit took on the test guest), while
    // the bind itself is done when its sysfs write returns or soon after.
    private static async Task ExpectDriverAsync(string driver, ReconcileContext context, CancellationToken ct)
    {
        var now = await PollAsync(() => PlatformDevice.Read(context.Root).Driver, d => d == driver, context, ct).ConfigureAwait(false);

        if (now != driver)
        {
            throw new ReconcileStepException($"bind {PlatformDevice.KnownAs(driver)}",
                $"{PlatformDevice.Name} is held by {(now is null ? "no driver" : PlatformDevice.KnownAs(now))} afterwards, not {PlatformDevice.KnownAs(driver)}; see the kernel log (dmesg) for why the probe failed");
        }
    }

    // The platform driver's module (ramdax or nd_e820; none when the device is held already) and, in
    // the same modprobe, the drivers of what its regions hold that are not loaded yet (fsdax and raw:
    // nd_pmem; devdax: dax_pmem, device_dax). Present before the namespaces appear, they bind them
    // as the kernel registers them, so the bus's wait_probe covers the namespaces too; left to
    // udev's coldplug they come seconds later under load. A kernel without one of them (no devdax
    // support, say) still gets its platform driver: the failure is a warning once that driver is there.
    private static async Task LoadModulesAsync(string? platformModule, ReconcileContext context, CancellationToken ct)
    {
        var modules = new List<string>();
        if (platformModule is not null)
        {
            modules.Add(platformModule);
        }

        modules.AddRange(PlatformDevice.MissingNamespaceDrivers(context.Root));
        if (modules.Count == 0)
        {
            return;
        }

        var platformDriver = platformModule == PlatformDevice.NdE820Module ? PlatformDevice.NdE820Driver : platformModule;
        try
        {
            await context.RunAsync(ExternalTools.Modprobe, ["-a", .. modules], ReconcileContext.ModuleTimeout,
                $"load the {string.Join(", ", modules)} module{(modules.Count == 1 ? "" : "s")}", ct).ConfigureAwait(false);
        }
        catch (ProvisionException e) when (platformDriver is null || context.Root.DirectoryExists(PlatformDevice.DriverDirectory(platformDriver)))
        {
            var held = platformModule is null ? $"{PlatformDevice.Name} is held already" : $"{platformModule} is loaded";
            LogLines.Warn(context.Log, $"{e.Message}; {held}, and udev loads the namespace drivers when their devices appear");
        }
    }

    // Releasing nd_e820 tears down every pmem device of every range, so a mounted one must stop us.
    // Open devdax character devices cannot be seen from here; mounts can.
    private static async Task<string?> FindDevicesInUseAsync(ReconcileContext context, CancellationToken ct)
    {
        var mounts = MountTable.Read(context.Root);
        var busy = new List<string>();
        foreach (var region in PlatformDevice.RegionNames(context.Root))
        {
            var listing = await context.RunAsync(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", region], ReconcileContext.NdctlTimeout, $"list the namespaces of {region}", ct).ConfigureAwait(false);
            foreach (var ns in NdctlOutput.ParseRegions(listing.StandardOutput).SelectMany(r => r.Namespaces))
            {
                if (ns.DevicePath is { } path && mounts.OfDevice(path) is { } mount)
                {
                    busy.Add($"{path} is mounted at {mount.MountPoint}");
                }
            }
        }

        return busy.Count == 0 ? null : string.Join("; ", busy);
    }

    private static async Task<ImmutableArray<NdRegion>> WaitForRegionsAsync(ImmutableArray<PlannedCarveout> carveouts, ReconcileContext context, CancellationToken ct)
    {
        return await PollAsync(() => NdRegionReader.Read(context.Root), regions => carveouts.All(c => regions.Any(r => r.Start == c.Start)), context, ct).ConfigureAwait(false);
    }

    // Reads the machine every PollInterval until the reading is what we wait for or RegionWait has
    // passed; returns the last reading either way, so the caller can say what it saw.
    private static async Task<T> PollAsync<T>(Func<T> read, Func<T, bool> done, ReconcileContext context, CancellationToken ct)
    {
        var interval = context.Options.PollInterval;
        var attempts = Math.Max(1, (int)(context.Options.RegionWait.Ticks / Math.Max(1, interval.Ticks)));
        var reading = read();
        for (var attempt = 1; attempt < attempts && !done(reading); attempt++)
        {
            await Task.Delay(interval, context.Time, ct).ConfigureAwait(false);
            reading = read();
        }

        return reading;
    }

    private static CarveoutRegion Match(int index, PlannedCarveout carveout, ImmutableArray<NdRegion> regions)
    {
        var spec = carveout.MemmapSpec;
        var region = regions.FirstOrDefault(r => r.Start == carveout.Start);
        if (region is null)
        {
            var overlapping = regions.FirstOrDefault(r => r.Start < carveout.End && carveout.Start < r.End);
            var reason = overlapping is null
                ? $"no nd region starts at 0x{carveout.Start:x}; is memmap={spec} on the running kernel's command line (/proc/cmdline)?"
                : $"{overlapping.Name} spans 0x{overlapping.Start:x}-0x{overlapping.End - 1:x}, not the planned 0x{carveout.Start:x}-0x{carveout.End - 1:x}; "
                  + "the firmware split or moved the range: run plan again and reboot with its kernel arguments";
            return new CarveoutRegion(index, carveout, null, new ReconcileItem(ItemKind.Carveout, spec, overlapping?.Name, ItemState.Failed, reason));
        }

        if (region.Size != carveout.Size)
        {
            return new CarveoutRegion(index, carveout, null, new ReconcileItem(ItemKind.Carveout, spec, region.Name, ItemState.Failed,
                $"{region.Name} at 0x{region.Start:x} is {ByteSize.FormatExact(region.Size)}, the plan wants {ByteSize.FormatExact(carveout.Size)}; "
                + "the running kernel arguments are not the planned ones: reboot with them"));
        }

        return new CarveoutRegion(index, carveout, region, new ReconcileItem(ItemKind.Carveout, spec, region.Name, ItemState.Ok,
            $"{region.Name} at 0x{region.Start:x}, {ByteSize.FormatHuman(region.Size)}"));
    }
}
