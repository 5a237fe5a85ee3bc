using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Filesystems;

/// <summary>
/// Stage 3: look at every fsdax device with blkid first; keep the planned filesystem, make it on a
/// blank device, refuse anything else unless wiping was asked for. The mkfs runs of different
/// namespaces go concurrently; their log lines are held and written in plan order.
/// </summary>
public static class FilesystemReconciler
{
    public static async Task<ImmutableArray<FilesystemOutcome>> ReconcileAsync(ImmutableArray<NamespaceOutcome> namespaces, ReconcileContext context, CancellationToken ct)
    {
        var work = new List<(NamespaceOutcome Namespace, LogBuffer Log, Task<FilesystemOutcome> Task)>();
        foreach (var ns in namespaces.Where(n => n.Planned is { Mode: NamespaceMode.Fsdax, Filesystem: not null }))
        {
            var log = new LogBuffer();
            work.Add((ns, log, ReconcileOneAsync(ns, log, context, ct)));
        }

        var outcomes = await Task.WhenAll(work.Select(w => w.Task)).ConfigureAwait(false);
        foreach (var (_, log, _) in work)
        {
            log.FlushTo(context.Log);
        }

        // Marks of namespaces the kernel no longer has (a cold boot made them anew) are stale; while
        // a planned namespace is missing, its mark may still be needed and all stay.
        if (work.All(w => w.Namespace.InPlace && w.Namespace.Actual!.BlockDevice is not null))
        {
            UnfinishedMkfs.ClearAllBut(context.Root, context.Writer,
                work.Select(w => w.Namespace.Actual!.Uuid).OfType<string>().ToHashSet(StringComparer.Ordinal));
        }

        if (outcomes.Any(o => o.Item.State == ItemState.Created))
        {
            // mkfs closes the device; udev then probes it and makes /dev/disk/by-uuid/..., which the mount units name.
            await context.SettleAsync(ct).ConfigureAwait(false);
        }

        return [.. outcomes];
    }

    private static async Task<FilesystemOutcome> ReconcileOneAsync(NamespaceOutcome ns, LogBuffer log, ReconcileContext context, CancellationToken ct)
    {
        // Everything but the first line runs concurrently with the other namespaces.
        await Task.Yield();
        var p = ns.Planned;
        var fs = p.Filesystem!;
        var type = FilesystemDecider.TypeWord(fs.Type);
        if (!ns.InPlace || ns.Actual!.BlockDevice is null)
        {
            return Done(new FilesystemOutcome(p, null, null,
                new ReconcileItem(ItemKind.Filesystem, p.Name, null, ItemState.Failed, $"not attempted: namespace '{p.Name}' is not in place ({ns.Item.State.Word()})")));
        }

        var device = ns.Actual.DevicePath!;
        try
        {
            var found = await BlkidProbe.ProbeAsync(context, device, ct).ConfigureAwait(false);
            var uuid = ns.Actual.Uuid;
            var decision = FilesystemDecider.Decide(p.Name, fs, p.Wipe, device, found, ns.Actual.Size, UnfinishedMkfs.IsMarked(context.Root, uuid));
            switch (decision)
            {
                case FilesystemDecision.Keep keep:
                    return Done(new FilesystemOutcome(p, device, keep.Signature,
                        new ReconcileItem(ItemKind.Filesystem, p.Name, device, ItemState.Ok, $"{keep.Signature.Describe()} kept as it is")));

                case FilesystemDecision.Refuse refuse:
                    return Done(new FilesystemOutcome(p, null, null, new ReconcileItem(ItemKind.Filesystem, p.Name, device, ItemState.Drifted, refuse.Reason)));

                case FilesystemDecision.Format format:
                    var (tool, arguments) = MkfsCommand.For(fs, device);
                    if (UnfinishedMkfs.CanMark(uuid))
                    {
                        UnfinishedMkfs.Mark(context.Writer, uuid!, $"{p.Name} {device} {tool}");
                    }

                    if (format.WipeFirst)
                    {
                        log.Warn($"namespace '{p.Name}': {format.Why}: wipefs -a {device}");
                        await context.RunAsync(ExternalTools.Wipefs, ["-a", device], ReconcileContext.QuickTimeout, $"wipe {device}", ct).ConfigureAwait(false);
                    }

                    log.Info($"namespace '{p.Name}': {tool} {string.Join(' ', arguments)}");
                    await context.RunAsync(tool, arguments, ReconcileContext.MkfsTimeout, $"{tool} on {device}", ct).ConfigureAwait(false);
                    var made = await BlkidProbe.ProbeAsync(context, device, ct).ConfigureAwait(false);
                    if (made.Type != type || made.Label != fs.Label || made.Uuid is null)
                    {
                        throw new ReconcileStepException($"check {device}", $"after {tool} blkid finds {made.Describe()}, not {type} labelled '{fs.Label}'");
                    }

                    if (UnfinishedMkfs.CanMark(uuid))
                    {
                        UnfinishedMkfs.Clear(context.Writer, uuid!);
                    }

                    return Done(new FilesystemOutcome(p, device, made,
                        new ReconcileItem(ItemKind.Filesystem, p.Name, device, ItemState.Created, $"made {made.Describe()}: {format.Why}")));

                default:
                    throw new InvalidOperationException($"unknown decision {decision}");
            }
        }
        catch (ProvisionException e)
        {
            return Done(new FilesystemOutcome(p, null, null,
                new ReconcileItem(ItemKind.Filesystem, p.Name, device, ItemState.Failed, ReconcileStepException.Wrap($"make the {type} filesystem of '{p.Name}'", e).Message)));
        }

        FilesystemOutcome Done(FilesystemOutcome outcome)
        {
            var line = $"filesystem '{p.Name}': {outcome.Item.State.Word()}: {outcome.Item.Reason}";
            if (outcome.Item.InPlace)
            {
                log.Info(line);
            }
            else
            {
                log.Error(line);
            }

            return outcome;
        }
    }
}
