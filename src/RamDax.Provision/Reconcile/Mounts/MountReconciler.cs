using System.Collections.Immutable;
using RamDax.Provision.Reconcile.Filesystems;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Mounts;

/// <summary>
/// Stage 4: write a mount unit per filesystem, reload systemd once if any changed, start the units
/// that are not mounted yet, and check in <c>/proc/self/mountinfo</c> that each mount runs with
/// <c>dax=always</c>. A mount without DAX is an error, and it is stopped rather than left as a
/// silent fallback. Owner, group and mode go on the mounted filesystem's root.
/// </summary>
public static class MountReconciler
{
    private const UnixFileMode UnitFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task<ImmutableArray<MountOutcome>> ReconcileAsync(ImmutableArray<FilesystemOutcome> filesystems, ReconcileContext context, CancellationToken ct)
    {
        var outcomes = new List<MountOutcome>();
        var ready = new List<(FilesystemOutcome Filesystem, MountUnit Unit)>();
        var changed = false;
        foreach (var fs in filesystems.Where(f => f.Planned.Mount is not null))
        {
            var p = fs.Planned;
            var path = p.Mount!.Path;
            if (!fs.InPlace)
            {
                outcomes.Add(Outcome(fs, ItemState.Failed, $"not attempted: the filesystem of '{p.Name}' is not in place ({Word(fs.Item.State)})"));
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
                    ReconcileLog.Info(context.Log, $"mount '{p.Name}': wrote {unitPath}");
                    changed = true;
                }

                ready.Add((fs, unit));
            }
            catch (Exception e) when (e is ProvisionException or ArgumentException)
            {
                outcomes.Add(Outcome(fs, ItemState.Failed, ReconcileStepException.Wrap($"write the mount unit of '{p.Name}' for {path}", e).Message));
            }
        }

        if (changed)
        {
            try
            {
                await context.RunAsync(ExternalTools.Systemctl, ["daemon-reload"], ReconcileContext.MountTimeout, "reload systemd", ct).ConfigureAwait(false);
            }
            catch (ProvisionException e)
            {
                foreach (var (fs, _) in ready)
                {
                    outcomes.Add(Outcome(fs, ItemState.Failed, ReconcileStepException.Wrap($"mount '{fs.Planned.Name}'", e).Message));
                }

                ready.Clear();
            }
        }

        foreach (var (fs, unit) in ready)
        {
            MountOutcome outcome;
            try
            {
                outcome = await MountOneAsync(fs, unit, context, ct).ConfigureAwait(false);
            }
            catch (ProvisionException e)
            {
                outcome = Outcome(fs, ItemState.Failed, ReconcileStepException.Wrap($"mount '{fs.Planned.Name}' on {fs.Planned.Mount!.Path}", e).Message);
            }

            outcomes.Add(outcome);
        }

        foreach (var o in outcomes)
        {
            ReconcileLog.Write(context.Log, o.Item.InPlace ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Error,
                $"mount '{o.Planned.Name}': {Word(o.Item.State)}: {o.Item.Reason}");
        }

        // In plan order, whatever order they finished in.
        return [.. filesystems.SelectMany(f => outcomes.Where(o => ReferenceEquals(o.Planned, f.Planned)))];
    }

    private static async Task<MountOutcome> MountOneAsync(FilesystemOutcome fs, MountUnit unit, ReconcileContext context, CancellationToken ct)
    {
        var mount = fs.Planned.Mount!;
        var device = fs.Device!;
        var mounts = MountTable.Read(context.Root);
        var state = ItemState.Ok;
        if (mounts.At(mount.Path) is { } current)
        {
            if (current.Source != device)
            {
                return Outcome(fs, ItemState.Drifted, $"{current.Source} ({current.FilesystemType}) is mounted at {mount.Path}, not {device}; left alone. Unmount it and run again");
            }

            if (!current.HasDaxAlways)
            {
                return Outcome(fs, ItemState.Failed,
                    $"{device} is mounted at {mount.Path} without dax=always (super options: {current.SuperOptions}); unmount it (systemctl stop {unit.Name}) and run again");
            }
        }
        else
        {
            if (mounts.OfDevice(device) is { } elsewhere)
            {
                return Outcome(fs, ItemState.Drifted, $"{device} is already mounted at {elsewhere.MountPoint}, not {mount.Path}; left alone. Unmount it and run again");
            }

            context.Writer.CreateDirectory(mount.Path);
            await context.RunAsync(ExternalTools.Systemctl, ["start", unit.Name], ReconcileContext.MountTimeout, $"start {unit.Name}", ct).ConfigureAwait(false);
            var mounted = MountTable.Read(context.Root).At(mount.Path);
            if (mounted is null || mounted.Source != device)
            {
                return Outcome(fs, ItemState.Failed,
                    $"systemctl start {unit.Name} succeeded but {MountTable.MountInfoPath} shows {(mounted is null ? "nothing" : mounted.Source)} at {mount.Path}; see journalctl -u {unit.Name}");
            }

            if (!mounted.HasDaxAlways)
            {
                await context.RunAsync(ExternalTools.Systemctl, ["stop", unit.Name], ReconcileContext.MountTimeout, $"stop {unit.Name}", ct).ConfigureAwait(false);
                return Outcome(fs, ItemState.Failed,
                    $"{device} mounted at {mount.Path} without DAX (super options: {mounted.SuperOptions}); stopped {unit.Name} rather than serve the namespace through the page cache. "
                    + "Check the kernel log (dmesg) for why DAX was refused");
            }

            state = ItemState.Created;
        }

        var target = context.Root.Resolve(mount.Path);
        await context.RunAsync(ExternalTools.Chown, [$"{mount.Owner}:{mount.Group}", target], ReconcileContext.QuickTimeout, $"set the owner of {mount.Path}", ct).ConfigureAwait(false);
        await context.RunAsync(ExternalTools.Chmod, [mount.Mode, target], ReconcileContext.QuickTimeout, $"set the mode of {mount.Path}", ct).ConfigureAwait(false);
        var access = $"{mount.Owner}:{mount.Group} {mount.Mode}";
        return Outcome(fs, state, state == ItemState.Created
            ? $"mounted {device} with dax=always through {unit.Name}, {access}"
            : $"{device} already mounted with dax=always, {access}");
    }

    private static MountOutcome Outcome(FilesystemOutcome fs, ItemState state, string reason) =>
        new(fs.Planned, new ReconcileItem(ItemKind.Mount, fs.Planned.Name, fs.Planned.Mount!.Path, state, reason));

    private static string Word(ItemState state) => state.ToString().ToLowerInvariant();
}
