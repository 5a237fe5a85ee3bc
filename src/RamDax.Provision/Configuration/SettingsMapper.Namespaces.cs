using System.Collections.Immutable;
using System.Globalization;
using RamDax.Provision.Configuration.Document;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

// The namespaces: list, one entry at a time, then the rules between entries.
public sealed partial class SettingsMapper
{
    private ImmutableArray<NamespaceSettings> MapNamespaces(List<NamespaceDocument> docs, CarveoutSettings carveout)
    {
        var result = ImmutableArray.CreateBuilder<NamespaceSettings>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < docs.Count; i++)
        {
            result.Add(MapNamespace(docs[i], i, carveout, names, paths));
        }

        RefuseNestedMounts(paths);
        if (carveout.Size is null && docs.Count > 0 && _configuration["carveout:size"] is null)
        {
            Error("namespaces", "namespaces are configured but no carve-out holds them; set carveout.size (like 64G or 25%)");
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// One entry of the list; <paramref name="names"/> and <paramref name="paths"/> collect the
    /// names and mount paths taken so far, each with the key that took it.
    /// </summary>
    private NamespaceSettings MapNamespace(NamespaceDocument doc, int i, CarveoutSettings carveout, Dictionary<string, string> names, Dictionary<string, string> paths)
    {
        var key = $"namespaces:{i.ToString(CultureInfo.InvariantCulture)}";
        var name = NamespaceName(key, doc.Name, i, names);
        var mode = Enum($"{key}:mode", doc.Mode, NamespaceMode.Fsdax);
        var size = NamespaceSize(key, doc.Size);
        var alignment = NamespaceAlignment(key, doc.Alignment, carveout);
        if (size is SizeRequest.Absolute a && alignment == ByteSize.GiB && a.Bytes < 2 * ByteSize.GiB)
        {
            Error($"{key}:size", "a 1G-aligned namespace needs at least 2G: its info block takes the first 1G step");
        }

        FilesystemSettings? filesystem = null;
        MountSettings? mount = null;
        DeviceAccessSettings? device = null;
        if (mode == NamespaceMode.Fsdax)
        {
            if (doc.Device is not null)
            {
                Error($"{key}:device", "device settings are for devdax namespaces; an fsdax namespace has filesystem and mount");
            }

            filesystem = MapFilesystem($"{key}:filesystem", doc.Filesystem ?? new FilesystemDocument(), name);
            mount = MapMount($"{key}:mount", doc.Mount ?? new MountDocument(), name, paths);
        }
        else
        {
            device = MapDevice(key, doc);
        }

        var onEachNode = string.Equals(doc.NumaNode?.Trim(), "each", StringComparison.Ordinal);
        if (onEachNode)
        {
            CheckOnEachNode(key, doc, name, filesystem, carveout);
        }

        return new NamespaceSettings(name, mode, size, alignment, filesystem, mount, device,
            Bool($"{key}:wipe", doc.Wipe, false), Bool($"{key}:reconfigure", doc.Reconfigure, false))
        {
            NumaNode = onEachNode ? null : NumaNode($"{key}:numa_node", doc.NumaNode),
            OnEachNode = onEachNode,
        };
    }

    // numa_node: each makes one namespace per node, '-nodeN' after the name, label and mount path;
    // node 0's are checked here, the planner checks the nodes it finds.
    private void CheckOnEachNode(string key, NamespaceDocument doc, string name, FilesystemSettings? filesystem, CarveoutSettings carveout)
    {
        if (!carveout.SpreadAcrossNumaNodes)
        {
            Error($"{key}:numa_node", "'each' puts one namespace on every NUMA node a carve-out is on; set carveout.placement.numa: spread so that every node with memory gets a carve-out");
        }

        var suffix = NamespaceSettings.NodeSuffix(0);
        if (NamespaceRules.NameProblem(name) is null && NamespaceRules.NameProblem(name + suffix) is not null)
        {
            Error($"{key}:name", $"with numa_node: each the namespaces are named '{name}{suffix}', '{name}{NamespaceSettings.NodeSuffix(1)}', ...; '{name}{suffix}' is longer than 63 characters, give a shorter name");
        }

        if (filesystem is not null && NamespaceRules.LabelProblem(filesystem.Type, filesystem.Label) is null
            && NamespaceRules.LabelProblem(filesystem.Type, filesystem.Label + suffix) is not null)
        {
            Error(doc.Filesystem?.Label is null ? $"{key}:name" : $"{key}:filesystem:label",
                $"with numa_node: each the {filesystem.Type.Word()} labels are '{filesystem.Label}{suffix}', ...; that is longer than {NamespaceRules.LabelLimit(filesystem.Type)} bytes, "
                + "set a shorter filesystem.label (or name)");
        }
    }

    // A missing name is reported and replaced, so that the entry's other settings are still checked.
    private string NamespaceName(string key, string? name, int i, Dictionary<string, string> names)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            Error(key, "every namespace needs a name");
            name = $"namespace{i}";
        }
        else if (NamespaceRules.NameProblem(name) is { } nameProblem)
        {
            Error($"{key}:name", nameProblem);
        }
        else if (names.TryGetValue(name, out var first))
        {
            Error($"{key}:name", $"'{name}' is also the name of {ConfigKey.Display(first)}; names must be unique");
        }
        else
        {
            names[name] = key;
        }

        return name;
    }

    private SizeRequest NamespaceSize(string key, string? text)
    {
        SizeRequest size = new SizeRequest.Rest();
        if (text is null)
        {
            Error(key, "every namespace needs a size (like 16G, 25% or rest)");
        }
        else
        {
            var parsed = SizeRequest.TryParse(text, allowRest: true, out var error);
            if (parsed is null)
            {
                Error($"{key}:size", error!);
            }
            else
            {
                size = parsed;
            }
        }

        return size;
    }

    private ulong NamespaceAlignment(string key, string? text, CarveoutSettings carveout)
    {
        var alignment = Size($"{key}:alignment", text, 2 * ByteSize.MiB);
        if (NamespaceRules.AlignmentProblem(alignment) is { } alignmentProblem)
        {
            Error($"{key}:alignment", alignmentProblem);
        }
        else if (alignment > carveout.Alignment)
        {
            Error($"{key}:alignment", $"{ByteSize.FormatExact(alignment)} needs carveout.alignment of at least {ByteSize.FormatExact(alignment)} so the namespace can start on it");
        }

        return alignment;
    }

    private DeviceAccessSettings MapDevice(string key, NamespaceDocument doc)
    {
        if (doc.Filesystem is not null || doc.Mount is not null)
        {
            Error(doc.Filesystem is not null ? $"{key}:filesystem" : $"{key}:mount", "a devdax namespace is a character device: it has no filesystem or mount; use mode: fsdax");
        }

        var access = doc.Device ?? new DeviceDocument();
        return new DeviceAccessSettings(
            Account($"{key}:device:owner", access.Owner, "root"),
            Account($"{key}:device:group", access.Group, "root"),
            FileMode($"{key}:device:mode", access.Mode, "0600"));
    }

    private FilesystemSettings MapFilesystem(string key, FilesystemDocument doc, string name)
    {
        var type = Enum($"{key}:type", doc.Type, FilesystemType.Ext4);
        var label = doc.Label ?? name;
        // A name already refused is not refused again as a label; a name too long for a label is reported at the name.
        if ((doc.Label is not null || NamespaceRules.NameProblem(name) is null) && NamespaceRules.LabelProblem(type, label) is { } labelProblem)
        {
            Error(doc.Label is null ? key.Replace(":filesystem", ":name", StringComparison.Ordinal) : $"{key}:label", labelProblem);
        }

        var options = Items(doc.MkfsOptions);
        foreach (var (index, message) in MkfsOptionRules.Check(type, options))
        {
            Error($"{key}:mkfs_options:{index.ToString(CultureInfo.InvariantCulture)}", message);
        }

        return new FilesystemSettings(type, label, options);
    }

    // Linux numbers NUMA nodes from 0 to MAX_NUMNODES - 1 (at most 1024 nodes).
    private int? NumaNode(string key, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var node) || node > 1023)
        {
            Error(key, $"'{text}' is not a NUMA node; Linux numbers them from 0 to at most 1023 (see /sys/devices/system/node), or write 'each' for one namespace on every node");
            return null;
        }

        return node;
    }
}
