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
}
