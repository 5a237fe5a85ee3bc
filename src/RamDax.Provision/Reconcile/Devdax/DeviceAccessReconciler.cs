using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Devdax;

/// <summary>
/// Stage 5: write the udev rules for the devdax devices, reload udev when they changed, re-trigger
/// each device, and check the node really has the configured owner, group and mode.
/// </summary>
public static class DeviceAccessReconciler
{
    private const UnixFileMode RulesFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task<ImmutableArray<ReconcileItem>> ReconcileAsync(ImmutableArray<NamespaceOutcome> namespaces, ReconcileContext context, CancellationToken ct)
    {
        var devdax = namespaces.Where(n => n.Planned is { Mode: NamespaceMode.Devdax, Device: not null }).ToList();
        if (devdax.Count == 0 && !context.Root.FileExists(UdevRules.Path))
        {
            return [];
        }

        var items = new Dictionary<string, ReconcileItem>(StringComparer.Ordinal);
        var ready = new List<(NamespaceOutcome Namespace, string CharDevice)>();
        foreach (var ns in devdax)
        {
            if (!ns.InPlace || ns.Actual!.CharDevice is null)
            {
                items[ns.Planned.Name] = Item(ns, null, ItemState.Failed,
                    ns.InPlace ? $"ndctl reports no character device for {ns.Actual!.Dev}" : $"not attempted: namespace '{ns.Planned.Name}' is not in place ({ns.Item.State.Word()})");
                continue;
            }

            ready.Add((ns, ns.Actual.CharDevice));
        }

        bool changed;
        try
        {
            var content = UdevRules.Render([.. ready.Select(r => (r.Namespace.Planned.Name, r.CharDevice, r.Namespace.Planned.Device!))]);
            changed = context.Writer.WriteFileIfChanged(UdevRules.Path, content, RulesFileMode);
            if (changed)
            {
                LogLines.Info(context.Log, $"wrote {UdevRules.Path}");
                await context.RunAsync(ExternalTools.Udevadm, ["control", "--reload"], ReconcileContext.QuickTimeout, "reload the udev rules", ct).ConfigureAwait(false);
            }
        }
        catch (ProvisionException e)
        {
            foreach (var (ns, chardev) in ready)
            {
                items[ns.Planned.Name] = Item(ns, chardev, ItemState.Failed, ReconcileStepException.Wrap($"write {UdevRules.Path}", e).Message);
            }

            return Ordered(devdax, items, context);
        }

        foreach (var (ns, chardev) in ready)
        {
            var wanted = ns.Planned.Device!;
            var node = $"/dev/{chardev}";
            try
            {
                // udev applied the unchanged rules when the device appeared (the boot's usual case):
                // nothing to run. New rules, or a node udev has not made or reached yet, get a re-trigger.
                // Early in a boot udev may still be working through the device's own events (seen
                // once in a guest: the node was root:root 0600 right after the re-trigger), so a
                // node that does not match yet is re-triggered a few more times before it counts.
                var access = !changed && context.Root.Exists(node) ? ReadAccess(context, node) : null;
                for (var attempt = 1; access?.Matches(wanted) != true && attempt <= RetriggerAttempts; attempt++)
                {
                    if (attempt > 1)
                    {
                        await Task.Delay(context.Options.PollInterval, context.Time, ct).ConfigureAwait(false);
                    }

                    await context.RunAsync(ExternalTools.Udevadm, ["trigger", "--action=change", "--settle", node], ReconcileContext.SettleTimeout, $"re-trigger {node}", ct).ConfigureAwait(false);
                    access = ReadAccess(context, node);
                }

                var want = $"{wanted.Owner}:{wanted.Group} {wanted.Mode}";
                items[ns.Planned.Name] = access!.Matches(wanted)
                    ? Item(ns, node, changed ? ItemState.Created : ItemState.Ok, $"{want} through {UdevRules.Path}")
                    : Item(ns, node, ItemState.Failed, $"{node} is {access} after the udev rule for {want} was applied; another rule may override it (udevadm test {node})");
            }
            catch (ProvisionException e)
            {
                items[ns.Planned.Name] = Item(ns, node, ItemState.Failed, ReconcileStepException.Wrap($"set the access of '{ns.Planned.Name}' ({node})", e).Message);
            }
        }

        return Ordered(devdax, items, context);
    }

    private const int RetriggerAttempts = 4;

    private static DeviceAccess ReadAccess(ReconcileContext context, string node) =>
        DeviceAccess.Of(ReadOwnership(context, node), UnixAccounts.Read(context.Root));

    private static FileOwnership ReadOwnership(ReconcileContext context, string node)
    {
        try
        {
            return FileOwnership.Read(context.Root.Resolve(node));
        }
        catch (IOException e)
        {
            throw new ReconcileStepException($"read the owner of {node}", e.Message);
        }
    }

    private static ImmutableArray<ReconcileItem> Ordered(List<NamespaceOutcome> devdax, Dictionary<string, ReconcileItem> items, ReconcileContext context)
    {
        var ordered = devdax.Select(n => items[n.Planned.Name]).ToImmutableArray();
        foreach (var item in ordered)
        {
            LogLines.Write(context.Log, item.InPlace ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Error,
                $"device '{item.Name}': {item.State.Word()}: {item.Reason}");
        }

        return ordered;
    }

    private static ReconcileItem Item(NamespaceOutcome ns, string? target, ItemState state, string reason) =>
        new(ItemKind.Device, ns.Planned.Name, target, state, reason);
}
