using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Mounts;

/// <summary>
/// Stage 4: mount every filesystem that is not mounted yet as a transient systemd mount unit
/// (<c>systemd-mount</c>, side by side), and check in <c>/proc/self/mountinfo</c> that each mount
/// runs with <c>dax=always</c>. A mount without DAX is an error, and it is stopped rather than
/// left as a silent fallback. Owner, group and mode go on the mounted filesystem's root. No unit
/// file is written: the units live under <c>/run</c> for this boot only.
/// </summary>
public static class MountReconciler
{
    /// <summary>Where the package's udev rule links each named namespace's device.</summary>
    public const string StableLinkDirectory = "/dev/ramdax";

    public static async Task<ImmutableArray<MountOutcome>> ReconcileAsync(ImmutableArray<FilesystemOutcome> filesystems, DriverKind driver, ReconcileContext context, CancellationToken ct)
    {
        await RemoveLegacyUnitsAsync(context, ct).ConfigureAwait(false);
        var outcomes = new List<MountOutcome>();

        // What is mounted already is checked and left; the rest is mounted side by side.
        var toStart = new List<(FilesystemOutcome Filesystem, MountUnit Unit)>();
        var mounts = MountTable.Read(context.Root);
        foreach (var fs in filesystems.Where(f => f.Planned.Mount is not null))
        {
            MountUnit? unit;
            try
            {
                unit = Unit(fs, driver, context.Root);
            }
            catch (ArgumentException e)
            {
                outcomes.Add(Outcome(fs, ItemState.Failed, $"not attempted: {e.Message}"));
                continue;
            }

            if (unit is null)
            {
                outcomes.Add(Outcome(fs, ItemState.Failed, $"not attempted: the filesystem of '{fs.Planned.Name}' is not in place ({fs.Item.State.Word()})"));
            }
            else if (Check(fs, unit, mounts) is { } decided)
            {
                outcomes.Add(Finish(fs, decided, context));
            }
            else
            {
                toStart.Add((fs, unit));
            }
        }

        if (toStart.Count > 0)
        {
            outcomes.AddRange(await StartAsync(toStart, context, ct).ConfigureAwait(false));
        }

        foreach (var o in outcomes)
        {
            LogLines.Write(context.Log, o.Item.InPlace ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Error,
                $"mount '{o.Planned.Name}': {o.Item.State.Word()}: {o.Item.Reason}");
        }

        // In plan order, whatever order they finished in.
        return [.. filesystems.SelectMany(f => outcomes.Where(o => ReferenceEquals(o.Planned, f.Planned)))];
    }

    // The unit of a filesystem in place, or null when there is nothing to mount.
    private static MountUnit? Unit(FilesystemOutcome fs, DriverKind driver, MachineRoot root) =>
        fs.InPlace && fs.Device is { } device
            ? MountUnit.For(fs.Planned.Name, What(fs.Planned.Name, device, driver, root), FilesystemDecider.TypeWord(fs.Planned.Filesystem!.Type), fs.Planned.Mount!)
            : null;

    /// <summary>
    /// <c>/dev/ramdax/NAME</c>, the link the package's udev rule makes for every named ramdax
    /// namespace, or the device node: for nd_e820's nameless namespaces, and when udev has not made
    /// the link yet. systemd-mount resolves the link to the node anyway (<c>What=/dev/pmem0</c>,
    /// <c>BindsTo=dev-pmem0.device</c>, as the guests record), so the unit is the same either way;
    /// and it refuses a link that is not there ("Failed to make path ... absolute"), which early in
    /// a boot, with the namespaces back before udev has seen them, is the usual case. Nothing waits
    /// for udev: systemd starts the mount once it knows the device.
    /// </summary>
    private static string What(string name, string device, DriverKind driver, MachineRoot root) =>
        driver == DriverKind.Ramdax && root.Exists($"{StableLinkDirectory}/{name}") ? $"{StableLinkDirectory}/{name}" : device;

    /// <summary>
    /// Removes the mount unit files older releases wrote into <c>/etc/systemd/system</c> and has
    /// systemd forget them, so that the transient units of the same names can be made. A mount
    /// they hold stays mounted. A failure is logged; the mounts then say what went wrong.
    /// </summary>
    private static async Task RemoveLegacyUnitsAsync(ReconcileContext context, CancellationToken ct)
    {
        try
        {
            var legacy = LegacyMountUnits.Find(context.Root);
            if (legacy.Count == 0)
            {
                return;
            }

            foreach (var path in legacy)
            {
                context.Writer.DeleteFile(path);
                LogLines.Info(context.Log, $"removed {path}, a mount unit file an earlier release wrote; mounts are transient units now");
            }

            await context.RunAsync(ExternalTools.Systemctl, ["daemon-reload"], ReconcileContext.MountTimeout, "reload systemd", ct).ConfigureAwait(false);
        }
        catch (ProvisionException e)
        {
            LogLines.Warn(context.Log, e.Message);
        }
    }

    // The outcome for a mount point that needs no start (in place, or someone else's), or null.
    private static MountOutcome? Check(FilesystemOutcome fs, MountUnit unit, MountTable mounts)
    {
        var path = fs.Planned.Mount!.Path;
        var device = fs.Device!;
        if (mounts.At(path) is { } current)
        {
            if (current.Source != device)
            {
                return Outcome(fs, ItemState.Drifted, $"{current.Source} ({current.FilesystemType}) is mounted at {path}, not {device}; left alone. Unmount it and run again");
            }

            return current.HasDaxAlways
                ? Outcome(fs, ItemState.Ok, $"{device} already mounted with dax=always")
                : Outcome(fs, ItemState.Failed, $"{device} is mounted at {path} without dax=always (super options: {current.SuperOptions}); unmount it (systemctl stop {unit.Name}) and run again");
        }

        return mounts.OfDevice(device) is { } elsewhere
            ? Outcome(fs, ItemState.Drifted, $"{device} is already mounted at {elsewhere.MountPoint}, not {path}; left alone. Unmount it and run again")
            : null;
    }

    private static async Task<List<MountOutcome>> StartAsync(List<(FilesystemOutcome Filesystem, MountUnit Unit)> toStart, ReconcileContext context, CancellationToken ct)
    {
        var outcomes = new List<MountOutcome>();
        var failures = await Task.WhenAll(toStart.Select(t => MountAsync(t.Filesystem, t.Unit, context, ct))).ConfigureAwait(false);
        var startFailures = toStart.Zip(failures).ToDictionary(p => p.First.Unit.Name, p => p.Second);
        var mounts = MountTable.Read(context.Root);
        foreach (var (fs, unit) in toStart)
        {
            var path = fs.Planned.Mount!.Path;
            var device = fs.Device!;
            var mounted = mounts.At(path);
            var startFailure = startFailures[unit.Name];
            MountOutcome outcome;
            if (mounted is null || mounted.Source != device)
            {
                var seen = mounted is null ? "nothing" : mounted.Source;
                outcome = Outcome(fs, ItemState.Failed, startFailure is null
                    ? $"systemd-mount {unit.What} {path} succeeded but {MountTable.MountInfoPath} shows {seen} at {path}; see journalctl -u {unit.Name}"
                    : $"mount '{fs.Planned.Name}' on {path}: {startFailure}; {MountTable.MountInfoPath} shows {seen} there; see journalctl -u {unit.Name}");
            }
            else if (!mounted.HasDaxAlways)
            {
                try
                {
                    await context.RunAsync(ExternalTools.Systemctl, ["stop", unit.Name], ReconcileContext.MountTimeout, $"stop {unit.Name}", ct).ConfigureAwait(false);
                }
                catch (ProvisionException e)
                {
                    LogLines.Error(context.Log, e.Message);
                }

                outcome = Outcome(fs, ItemState.Failed,
                    $"{device} mounted at {path} without DAX (super options: {mounted.SuperOptions}); stopped {unit.Name} rather than serve the namespace through the page cache. "
                    + "Check the kernel log (dmesg) for why DAX was refused");
            }
            else
            {
                outcome = Finish(fs, Outcome(fs, ItemState.Created, $"mounted {(unit.What == device ? device : $"{unit.What} ({device})")} with dax=always through {unit.Name}"), context);
            }

            outcomes.Add(outcome);
        }

        return outcomes;
    }

    // The failure of creating the mount point or of systemd-mount, or null once systemd reported the unit started.
    private static async Task<string?> MountAsync(FilesystemOutcome fs, MountUnit unit, ReconcileContext context, CancellationToken ct)
    {
        try
        {
            context.Writer.CreateDirectory(fs.Planned.Mount!.Path);
            await context.RunAsync(ExternalTools.SystemdMount, unit.SystemdMountArguments(), ReconcileContext.MountTimeout, $"mount {unit.What} on {unit.Where}", ct).ConfigureAwait(false);
            return null;
        }
        catch (ProvisionException e)
        {
            // The unit may have started all the same; it is judged by what is mounted.
            return e.Message;
        }
    }

    // Owner, group and mode go on the mounted filesystem's root; only a mount in place gets them.
    private static MountOutcome Finish(FilesystemOutcome fs, MountOutcome mounted, ReconcileContext context)
    {
        if (!mounted.Item.InPlace)
        {
            return mounted;
        }

        var mount = fs.Planned.Mount!;
        try
        {
            var accounts = UnixAccounts.Read(context.Root);
            context.Writer.SetAccess(mount.Path, accounts.UserId(mount.Owner), accounts.GroupId(mount.Group), (UnixFileMode)Convert.ToInt32(mount.Mode, 8));
        }
        catch (ProvisionException e)
        {
            return Outcome(fs, ItemState.Failed, ReconcileStepException.Wrap($"mount '{fs.Planned.Name}' on {mount.Path}", e).Message);
        }

        return mounted with { Item = mounted.Item with { Reason = $"{mounted.Item.Reason}, {mount.Owner}:{mount.Group} {mount.Mode}" } };
    }

    private static MountOutcome Outcome(FilesystemOutcome fs, ItemState state, string reason) =>
        new(fs.Planned, new ReconcileItem(ItemKind.Mount, fs.Planned.Name, fs.Planned.Mount!.Path, state, reason));
}
