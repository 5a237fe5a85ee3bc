using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Planning;

/// <summary>
/// One namespace: <see cref="Size"/> is what <c>ndctl create-namespace -s</c> receives (taken from
/// the region); <see cref="UsableSize"/> is what remains after the info block and the page
/// metadata. <see cref="Offset"/> is where it starts inside its carve-out.
/// </summary>
public sealed record PlannedNamespace(
    string Name,
    NamespaceMode Mode,
    ulong Size,
    ulong UsableSize,
    ulong Alignment,
    int Carveout,
    ulong Offset,
    FilesystemSettings? Filesystem,
    MountSettings? Mount,
    DeviceAccessSettings? Device,
    bool Wipe,
    bool Reconfigure);
