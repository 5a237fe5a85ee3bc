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
    bool Reconfigure);
