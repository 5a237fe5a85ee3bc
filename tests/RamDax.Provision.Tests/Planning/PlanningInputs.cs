using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Tests.Planning;

/// <summary>Builds planner inputs without touching the disk.</summary>
internal static class PlanningInputs
{
    public static MachineFacts Facts(FirmwareMemoryMap map, string cmdline = "ro", bool ramdax = true, NumaTopology? numa = null) =>
        new(map, KernelCommandLine.Parse(cmdline), new KernelCapabilities("7.3.4", ramdax, ramdax ? "test kernel has ramdax" : "kernel 6.12 has no ramdax module"), numa ?? NumaTopology.None, null);

    public static FirmwareMemoryMap Map(params (ulong Start, ulong End, string Type)[] ranges) =>
        new([.. ranges.Select(r => new FirmwareMemoryEntry(new MemoryRange(r.Start, r.End), r.Type))]);

    /// <summary>NUMA nodes from (node, start, end) ranges, end exclusive.</summary>
    public static NumaTopology Nodes(params (int Node, ulong Start, ulong End)[] nodes) =>
        new(nodes.GroupBy(n => n.Node).ToImmutableDictionary(g => g.Key, g => g.Select(n => new MemoryRange(n.Start, n.End)).ToImmutableArray()));

    /// <summary>Two nodes of 32 GiB above 4 GiB, one System RAM range each.</summary>
    public static NumaTopology TwoNodes => Nodes((0, 0, 36UL << 30), (1, 36UL << 30, 68UL << 30));

    public static FirmwareMemoryMap TwoNodeMap => Map((0, 0xa0000, "System RAM"), (4UL << 30, 36UL << 30, "System RAM"), (36UL << 30, 68UL << 30, "System RAM"));

    /// <summary>QEMU -m 6G, as captured (end exclusive).</summary>
    public static FirmwareMemoryMap Qemu6G => Map(
        (0x0, 0x9fc00, "System RAM"),
        (0x9fc00, 0xa0000, "Reserved"),
        (0xf0000, 0x100000, "Reserved"),
        (0x100000, 0xbffdd000, "System RAM"),
        (0xbffdd000, 0xc0000000, "Reserved"),
        (0xfffc0000, 0x100000000, "Reserved"),
        (0x100000000, 0x1c0000000, "System RAM"),
        (0xfd00000000, 0x10000000000, "Reserved"));

    /// <summary>Settings from YAML, through the real loader path.</summary>
    public static ProvisionSettings Settings(string yaml)
    {
        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.Read(yaml, "test.yaml", errors);
        ConfigSchema.CheckKeys(layer, errors);
        return SettingsMapper.Map(LayeredConfiguration.Merge([layer]), errors);
    }

    public static NamespaceSettings Namespace(string name, SizeRequest size, NamespaceMode mode = NamespaceMode.Fsdax, ulong alignment = 2UL << 20) =>
        new(name, mode, size, alignment,
            mode == NamespaceMode.Fsdax ? new FilesystemSettings(FilesystemType.Ext4, name.Length > 16 ? name[..16] : name, []) : null,
            mode == NamespaceMode.Fsdax ? new MountSettings("/mnt/" + name, [], "root", "root", "0755") : null,
            mode == NamespaceMode.Devdax ? new DeviceAccessSettings("root", "root", "0600") : null,
            false, false);

    public static ProvisionSettings With(CarveoutSettings carveout, params NamespaceSettings[] namespaces) =>
        new(carveout, [.. namespaces], new MetadataSettings(MetadataSource.None, null, false, TimeSpan.FromSeconds(30), false),
            BootloaderKind.Auto, RebootMode.Never, new InstanceSettings(null, null, null));

    public static ImmutableArray<string> None => [];
}
