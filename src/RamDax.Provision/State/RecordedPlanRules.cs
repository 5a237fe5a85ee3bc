using System.Globalization;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;

namespace RamDax.Provision.State;

/// <summary>
/// What a recorded plan must keep before <c>apply --offline</c> acts on it. plan.json is only root's
/// to write, but a hand edit (or a copy from another machine) would otherwise reach mkfs, mount and
/// the boot configuration without any of the checks the configuration path makes; so the same rules
/// run again here: the namespace rules and mount and mkfs allow-lists the configuration is held to
/// (with this image's <c>mount_prefixes:</c>), carve-outs that are real memmap ranges in the
/// machine's System RAM and exactly the kernel arguments they give, and <c>wipe</c> or
/// <c>reconfigure</c> only where a layer that may set them did (see <see cref="TrustPolicy"/>).
/// Each problem names its key as written in plan.json.
/// </summary>
public static class RecordedPlanRules
{
    /// <summary>Every problem of <paramref name="plan"/> for this machine and local configuration; empty when it may be acted on.</summary>
    public static IReadOnlyList<string> Problems(Plan plan, MachineFacts facts, LoadedConfiguration local)
    {
        var problems = new List<string>();
        void Add(string key, string message) => problems.Add($"{key}: {message}");

        if (!Enum.IsDefined(plan.Driver))
        {
            Add("driver", "must be ramdax or nd_e820");
        }

        CheckCarveouts(plan, facts, Add);
        var wanted = KernelArgumentPlanner.Wanted(plan.Carveouts, plan.Driver);
        if (!plan.KernelArguments.Wanted.SequenceEqual(wanted, StringComparer.Ordinal))
        {
            Add("kernel_arguments.wanted", $"[{string.Join(", ", plan.KernelArguments.Wanted)}] are not the arguments of the plan's carve-outs and driver ([{string.Join(", ", wanted)}])");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Namespaces.Length; i++)
        {
            var n = plan.Namespaces[i];
            var key = $"namespaces[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (NamespaceRules.NameProblem(n.Name) is { } nameProblem)
            {
                Add($"{key}.name", nameProblem);
            }
            else if (!names.Add(n.Name))
            {
                Add($"{key}.name", $"'{n.Name}' is the name of an earlier namespace too; names must be unique");
            }

            if (!Enum.IsDefined(n.Mode))
            {
                Add($"{key}.mode", "must be fsdax or devdax");
                continue;
            }

            if (NamespaceRules.AlignmentProblem(n.Alignment) is { } alignmentProblem)
            {
                Add($"{key}.alignment", alignmentProblem);
            }

            if (n.Carveout >= 0 && n.Carveout < plan.Carveouts.Length && (n.Size == 0 || n.Offset > plan.Carveouts[n.Carveout].Size || n.Size > plan.Carveouts[n.Carveout].Size - n.Offset))
            {
                Add($"{key}.size", $"{n.Size} bytes at offset {n.Offset} do not fit in carve-out {n.Carveout}");
            }

            CheckUse(n, key, local.Settings.MountPrefixes, paths, Add);
            CheckGuarded(n, key, local, Add);
        }

        return problems;
    }

    private static void CheckCarveouts(Plan plan, MachineFacts facts, Action<string, string> add)
    {
        const ulong Step = NamespaceCapacity.RegionAlignment;
        var ram = facts.MemoryMap.SystemRam.ToList();
        for (var i = 0; i < plan.Carveouts.Length; i++)
        {
            var c = plan.Carveouts[i];
            var key = $"carveouts[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (c.Size == 0 || c.Start % Step != 0 || c.Size % Step != 0 || c.Start > ulong.MaxValue - c.Size)
            {
                add(key, $"start {c.Start} and size {c.Size} are not a memmap range: both must be multiples of 16 MiB, the size above zero");
                continue;
            }

            var range = new MemoryRange(c.Start, c.End);
            if (!ram.Any(r => r.Contains(range)))
            {
                add(key, $"{range} is not inside one System RAM range of this machine's firmware memory map ({FirmwareMemoryMap.Directory})");
            }

            for (var j = 0; j < i; j++)
            {
                if (new MemoryRange(plan.Carveouts[j].Start, plan.Carveouts[j].End).Overlaps(range))
                {
                    add(key, $"{range} overlaps carveouts[{j.ToString(CultureInfo.InvariantCulture)}]");
                }
            }
        }
    }

    private static void CheckUse(PlannedNamespace n, string key, IReadOnlyList<string> prefixes, Dictionary<string, string> paths, Action<string, string> add)
    {
        if (n.Mode == NamespaceMode.Devdax)
        {
            if (n.Filesystem is not null || n.Mount is not null)
            {
                add(key, "a devdax namespace has no filesystem or mount");
            }

            if (n.Device is not { } device)
            {
                add($"{key}.device", "a devdax namespace needs its owner, group and mode");
                return;
            }

            Check($"{key}.device.owner", NamespaceRules.AccountProblem(device.Owner ?? ""));
            Check($"{key}.device.group", NamespaceRules.AccountProblem(device.Group ?? ""));
            Check($"{key}.device.mode", NamespaceRules.ModeProblem(device.Mode ?? ""));
            return;
        }

        if (n.Device is not null)
        {
            add($"{key}.device", "device settings are for devdax namespaces; an fsdax namespace has filesystem and mount");
        }

        if (n.Filesystem is not { } fs || fs.Label is null || fs.MkfsOptions.IsDefault || fs.MkfsOptions.Any(o => o is null))
        {
            add($"{key}.filesystem", "an fsdax namespace needs its filesystem (type, label, mkfs_options)");
        }
        else if (!Enum.IsDefined(fs.Type))
        {
            add($"{key}.filesystem.type", "must be ext4 or xfs");
        }
        else
        {
            Check($"{key}.filesystem.label", NamespaceRules.LabelProblem(fs.Type, fs.Label));
            foreach (var (index, message) in MkfsOptionRules.Check(fs.Type, fs.MkfsOptions))
            {
                add($"{key}.filesystem.mkfs_options[{index.ToString(CultureInfo.InvariantCulture)}]", message);
            }
        }

        if (n.Mount is not { } mount || mount.Path is null || mount.Options.IsDefault || mount.Options.Any(o => o is null))
        {
            add($"{key}.mount", "an fsdax namespace needs its mount (path, options, owner, group, mode)");
            return;
        }

        if (MountPathRules.Check(mount.Path, prefixes, out var pathProblem) is not { } path)
        {
            add($"{key}.mount.path", pathProblem!);
        }
        else if (paths.FirstOrDefault(p => MountPathRules.Within(path, p.Key) || MountPathRules.Within(p.Key, path)) is { Key: not null } other)
        {
            add($"{key}.mount.path", $"'{path}' is, holds or lies inside the mount path of {other.Value} ({other.Key}); each namespace needs a directory of its own");
        }
        else
        {
            paths[path] = key;
        }

        for (var i = 0; i < mount.Options.Length; i++)
        {
            Check($"{key}.mount.options[{i.ToString(CultureInfo.InvariantCulture)}]", NamespaceRules.MountOptionProblem(mount.Options[i]));
        }

        Check($"{key}.mount.owner", NamespaceRules.AccountProblem(mount.Owner ?? ""));
        Check($"{key}.mount.group", NamespaceRules.AccountProblem(mount.Group ?? ""));
        Check($"{key}.mount.mode", NamespaceRules.ModeProblem(mount.Mode ?? ""));

        void Check(string at, string? problem)
        {
            if (problem is not null)
            {
                add(at, problem);
            }
        }
    }

    // wipe and reconfigure destroy data: the recorded plan may carry them only where the local
    // configuration asks for them too, or where the image lets instance metadata set them.
    private static void CheckGuarded(PlannedNamespace n, string key, LoadedConfiguration local, Action<string, string> add)
    {
        var configured = local.Settings.Namespaces.FirstOrDefault(s => s.Name == n.Name);
        if (n.Wipe && configured is not { Wipe: true } && !local.MetadataMaySet.Contains("wipe"))
        {
            add($"{key}.wipe", $"true, but no local configuration sets wipe for '{n.Name}' and the image does not let instance metadata set it (metadata_may_set: [wipe])");
        }

        if (n.Reconfigure && configured is not { Reconfigure: true } && !local.MetadataMaySet.Contains("reconfigure"))
        {
            add($"{key}.reconfigure", $"true, but no local configuration sets reconfigure for '{n.Name}' and the image does not let instance metadata set it (metadata_may_set: [reconfigure])");
        }
    }
}
