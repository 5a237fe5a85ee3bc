using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Mounts;

/// <summary>
/// Stage 4: write a mount unit per filesystem, reload systemd once if any changed, start the units
/// that are not mounted yet (all in one <c>systemctl start</c>), and check in <c>/proc/self/mountinfo</c> that each mount runs with
/// <c>dax=always</c>. A mount without DAX is an error, and it is stopped rather than left as a
/// silent fallback. Owner, group and mode go on the mounted filesystem's root.
/// </summary>
public static class MountReconciler
{
    private const UnixFileMode UnitFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task<ImmutableArray<MountOutcome>> ReconcileAsync(ImmutableArray<FilesystemOutcome> filesystems, ReconcileContext context, CancellationToken ct)
    {
        var outcomes = new List<MountOutcome>();
        var (ready, changed) = WriteUnits(filesystems, context, outcomes);
        if (changed && await ReloadSystemdAsync(context, ct).ConfigureAwait(false) is { } reloadFailure)
        {
            // Without the reload systemd would start the units it read before, not the ones just written.
            foreach (var (fs, _) in ready)
            {
                outcomes.Add(Outcome(fs, ItemState.Failed, ReconcileStepException.Wrap($"mount '{fs.Planned.Name}'", reloadFailure).Message));
            }

            ready.Clear();
        }

        // What is mounted already is checked and left; the rest starts in one systemctl call, so
        // systemd mounts them side by side (and loads each filesystem's module once) rather than
        // one after another.
        var toStart = new List<(FilesystemOutcome Filesystem, MountUnit Unit)>();
        foreach (var (fs, unit) in ready)
        {
            if (Check(fs, unit, MountTable.Read(context.Root)) is { } decided)
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

    /// <summary>
    /// Writes the mount unit of every filesystem in place; those whose unit could not be written,
    /// or whose filesystem is not in place, get their failed outcome in <paramref name="outcomes"/>.
    /// </summary>
    /// <returns>The filesystems with a unit, and whether any unit file changed.</returns>
    private static (List<(FilesystemOutcome Filesystem, MountUnit Unit)> Ready, bool Changed) WriteUnits(
        ImmutableArray<FilesystemOutcome> filesystems, ReconcileContext context, List<MountOutcome> outcomes)
    {
        var ready = new List<(FilesystemOutcome Filesystem, MountUnit Unit)>();
        var changed = false;
        foreach (var fs in filesystems.Where(f => f.Planned.Mount is not null))
        {
            var p = fs.Planned;
            var path = p.Mount!.Path;
            if (!fs.InPlace)
            {
                outcomes.Add(Outcome(fs, ItemState.Failed, $"not attempted: the filesystem of '{p.Name}' is not in place ({fs.Item.State.Word()})"));
                continue;
            }

            try
            {
                var uuidLink = $"/dev/disk/by-uuid/{fs.Signature!.Uuid}";
                var what = fs.Signature.Uuid is not null && context.Root.FileExists(uuidLink) ? uuidLink : fs.Device!;
                var unit = MountUnit.Render(p.Name, what, fs.Device!, FilesystemDecider.TypeWord(p.Filesystem!.Type), p.Mount);
                var unitPath = unit.Path;
                if (context.Writer.WriteFileIfChanged(unitPath, unit.Content, UnitFileMode))
                {
                    LogLines.Info(context.Log, $"mount '{p.Name}': wrote {unitPath}");
                    changed = true;
                }

                ready.Add((fs, unit));
            }
            catch (Exception e) when (e is ProvisionException or ArgumentException)
            {
                outcomes.Add(Outcome(fs, ItemState.Failed, ReconcileStepException.Wrap($"write the mount unit of '{p.Name}' for {path}", e).Message));
            }
        }

        return (ready, changed);
    }

    // The failure of systemctl daemon-reload, or null once systemd has read the new units.
    private static async Task<ProvisionException?> ReloadSystemdAsync(ReconcileContext context, CancellationToken ct)
    {
        try
        {
            await context.RunAsync(ExternalTools.Systemctl, ["daemon-reload"], ReconcileContext.MountTimeout, "reload systemd", ct).ConfigureAwait(false);
            return null;
        }
        catch (ProvisionException e)
        {
            return e;
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
        var names = toStart.Select(t => t.Unit.Name).ToList();
        string? startFailure = null;
        try
        {
            foreach (var (fs, _) in toStart)
            {
                context.Writer.CreateDirectory(fs.Planned.Mount!.Path);
            }

            await context.RunAsync(ExternalTools.Systemctl, ["start", .. names], ReconcileContext.MountTimeout, $"start {string.Join(' ', names)}", ct).ConfigureAwait(false);
        }
        catch (ProvisionException e)
        {
            // Some units may have started all the same; each is judged by what is mounted below.
            startFailure = e.Message;
        }

        var mounts = MountTable.Read(context.Root);
        foreach (var (fs, unit) in toStart)
        {
            var path = fs.Planned.Mount!.Path;
            var device = fs.Device!;
            var mounted = mounts.At(path);
            MountOutcome outcome;
            if (mounted is null || mounted.Source != device)
            {
                var seen = mounted is null ? "nothing" : mounted.Source;
                outcome = Outcome(fs, ItemState.Failed, startFailure is null
                    ? $"systemctl start {unit.Name} succeeded but {MountTable.MountInfoPath} shows {seen} at {path}; see journalctl -u {unit.Name}"
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
                outcome = Finish(fs, Outcome(fs, ItemState.Created, $"mounted {device} with dax=always through {unit.Name}"), context);
            }

            outcomes.Add(outcome);
        }

        return outcomes;
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
