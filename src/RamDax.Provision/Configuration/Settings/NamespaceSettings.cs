namespace RamDax.Provision.Configuration.Settings;

/// <summary>One namespace of the layout.</summary>
public sealed record NamespaceSettings(
    string Name,
    NamespaceMode Mode,
    SizeRequest Size,
    ulong Alignment,
    FilesystemSettings? Filesystem,
    MountSettings? Mount,
    DeviceAccessSettings? Device,
    bool Wipe,
    bool Reconfigure)
{
    /// <summary>The NUMA node whose carve-out must hold this namespace; null lets the planner choose.</summary>
    public int? NumaNode { get; init; }

    /// <summary>
    /// <c>numa_node: each</c>: one namespace like this on every NUMA node a carve-out is on, each
    /// named, labelled and mounted with <c>-nodeN</c> after its own (<see cref="NodeSuffix"/>).
    /// </summary>
    public bool OnEachNode { get; init; }

    /// <summary>What <c>numa_node: each</c> adds to the name, label and mount path of node <paramref name="node"/>'s namespace.</summary>
    public static string NodeSuffix(int node) => $"-node{node.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
