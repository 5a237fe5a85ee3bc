using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Tests.Reconcile.Support;

/// <summary>Plans that match the captured guest: memmap=2G!4G, the namespaces the captures created.</summary>
internal static class TestPlans
{
    public const ulong Start = 0x1_0000_0000;

    public static readonly PlannedCarveout Carveout = new(Start, 2 * ByteSize.GiB, 0, NamespaceCapacity.Available(2 * ByteSize.GiB));

    public static PlannedNamespace StoreExt4(ulong size = 512 * ByteSize.MiB, bool wipe = false, bool reconfigure = false, FilesystemType type = FilesystemType.Ext4, string label = "store-ext4", string path = "/mnt/e") =>
        new("store-ext4", NamespaceMode.Fsdax, size, NamespaceCapacity.Usable(size, 2 * ByteSize.MiB), 2 * ByteSize.MiB, 0, 0,
            new FilesystemSettings(type, label, []),
            new MountSettings(path, [], "root", "root", "0755"),
            null, wipe, reconfigure);

    public static PlannedNamespace StoreXfs(string path = "/mnt/x") =>
        new("store-xfs", NamespaceMode.Fsdax, 256 * ByteSize.MiB, NamespaceCapacity.Usable(256 * ByteSize.MiB, 2 * ByteSize.MiB), 2 * ByteSize.MiB, 0, 512 * ByteSize.MiB,
            new FilesystemSettings(FilesystemType.Xfs, "store-xfs", []),
            new MountSettings(path, [], "root", "root", "0755"),
            null, false, false);

    public static PlannedNamespace SmallDev(NamespaceMode mode = NamespaceMode.Devdax) =>
        new("small-dev", mode, 128 * ByteSize.MiB, NamespaceCapacity.Usable(128 * ByteSize.MiB, 2 * ByteSize.MiB), 2 * ByteSize.MiB, 0, 768 * ByteSize.MiB,
            null, null, new DeviceAccessSettings("root", "kvm", "0660"), false, false);

    public static Plan Ramdax(params PlannedNamespace[] namespaces) => Make(DriverKind.Ramdax, Carveout, namespaces);

    public static Plan Make(DriverKind driver, PlannedCarveout carveout, params PlannedNamespace[] namespaces) =>
        new(driver, [carveout], new KernelArgumentChanges([], [], []), [.. namespaces], null,
            new MemorySummary(6 * ByteSize.GiB, carveout.Size, 4 * ByteSize.GiB), ImmutableArray<string>.Empty);
}
