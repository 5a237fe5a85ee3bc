using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Planning;

/// <summary>
/// <c>numa_node: each</c>: a namespace written once becomes one namespace on every NUMA node the
/// carve-outs are spread over, in node order, each with <c>-nodeN</c> after its name, label and
/// mount path, so a VM host gets one fsdax or devdax namespace per socket from one entry.
/// </summary>
internal static class NodeNamespaces
{
    /// <summary>
    /// The namespaces with every <c>each</c> entry replaced, in its place, by one per node of
    /// <paramref name="nodes"/>. Refused when an expanded name or mount path meets another
    /// namespace's, or a label grows past what its filesystem takes.
    /// </summary>
    public static ImmutableArray<NamespaceSettings> Expand(ImmutableArray<NamespaceSettings> namespaces, IReadOnlyList<int> nodes)
    {
        if (!namespaces.Any(n => n.OnEachNode))
        {
            return namespaces;
        }

        var expanded = ImmutableArray.CreateBuilder<NamespaceSettings>();
        foreach (var ns in namespaces)
        {
            if (!ns.OnEachNode)
            {
                expanded.Add(ns);
                continue;
            }

            foreach (var node in nodes)
            {
                expanded.Add(OnNode(ns, node));
            }
        }

        var result = expanded.ToImmutable();
        RefuseCollisions(result);
        return result;
    }

    private static NamespaceSettings OnNode(NamespaceSettings ns, int node)
    {
        var suffix = NamespaceSettings.NodeSuffix(node);
        var filesystem = ns.Filesystem is { } fs ? fs with { Label = fs.Label + suffix } : null;
        if (filesystem is not null && NamespaceRules.LabelProblem(filesystem.Type, filesystem.Label) is { } problem)
        {
            throw new PlanRefusedException($"namespace '{ns.Name}' has numa_node: each, and on NUMA node {node} {problem}");
        }

        return ns with
        {
            Name = ns.Name + suffix,
            Filesystem = filesystem,
            Mount = ns.Mount is { } mount ? mount with { Path = mount.Path + suffix } : null,
            NumaNode = node,
            OnEachNode = false,
        };
    }

    // The configuration checked names and mount paths as written; the suffixed ones are checked here.
    private static void RefuseCollisions(ImmutableArray<NamespaceSettings> expanded)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ns in expanded)
        {
            if (!names.Add(ns.Name))
            {
                throw new PlanRefusedException($"numa_node: each names a namespace '{ns.Name}', which another namespace is called too; rename one of them");
            }

            if (ns.Mount is { } mount && !paths.TryAdd(mount.Path, ns.Name))
            {
                throw new PlanRefusedException($"namespaces '{paths[mount.Path]}' and '{ns.Name}' would both mount at {mount.Path} (numa_node: each adds -nodeN to the mount path); give one of them another mount.path");
            }
        }

        foreach (var (path, name) in paths)
        {
            if (MountPathRules.TakenAbove(path, paths) is { } up)
            {
                throw new PlanRefusedException($"namespace '{name}' would mount at {path}, inside '{paths[up]}' at {up} (numa_node: each adds -nodeN to the mount path); give each a directory of its own");
            }
        }
    }
}
