using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Benchmarks;

/// <summary>
/// Time per plan as the machine grows: firmware maps of 1, 8 and 64 usable ranges, 1 to 509
/// namespaces per carve-out range (the label area's limit), 64 GiB to 64 TiB of RAM (ranges are
/// at least 16 GiB, so 64 ranges hold at least 1 TiB).
/// </summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private const ulong G = 1UL << 30;

    private MachineFacts _facts = null!;
    private ProvisionSettings _settings = null!;

    [Params(1, 8, 64)]
    public int UsableRanges { get; set; }

    [Params(1, 64, 509)]
    public int NamespacesPerRange { get; set; }

    [Params(64UL, 65536UL)]
    public ulong RamGiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Usable ranges of equal size above 4 GiB, each followed by a 1 GiB reserved hole. A range
        // is at least 16 GiB: 509 namespaces of the 16 MiB minimum need 8 GiB of it.
        var rangeSize = Math.Max(16, RamGiB / (ulong)UsableRanges) * G;
        var entries = new List<FirmwareMemoryEntry> { new(new MemoryRange(0, 0xa0000), FirmwareMemoryMap.SystemRamType) };
        var at = 4 * G;
        for (var i = 0; i < UsableRanges; i++)
        {
            entries.Add(new(new MemoryRange(at, at + rangeSize), FirmwareMemoryMap.SystemRamType));
            entries.Add(new(new MemoryRange(at + rangeSize, at + rangeSize + G), "Reserved"));
            at += rangeSize + G;
        }

        _facts = new MachineFacts(new FirmwareMemoryMap([.. entries]), KernelCommandLine.Parse("ro"), new KernelCapabilities("7.3.4", true, "benchmark"), NumaTopology.None, null);

        // As many carve-outs as the ranges allow (at most 32), each holding NamespacesPerRange namespaces.
        var carveouts = Math.Min(UsableRanges, 32);
        var request = ((ulong)(carveouts - 1) * rangeSize) + (rangeSize / 2 / G * G);
        var namespaces = Enumerable.Range(0, carveouts * NamespacesPerRange).Select(i => new NamespaceSettings(
            $"ns{i}", NamespaceMode.Fsdax, i % 2 == 0 && NamespacesPerRange > 1 ? new SizeRequest.Absolute(16UL << 20) : new SizeRequest.Rest(), 2UL << 20,
            new FilesystemSettings(FilesystemType.Ext4, $"ns{i}", []), new MountSettings($"/mnt/ns{i}", [], "root", "root", "0755"), null, false, false));
        _settings = new ProvisionSettings(
            new CarveoutSettings(new SizeRequest.Absolute(request), G, G, 4 * G, PlacementOrder.HighestFirst, false, carveouts),
            [.. namespaces],
            new MetadataSettings(MetadataSource.None, null, false, TimeSpan.FromSeconds(30), false),
            BootloaderKind.None, RebootMode.Never, new InstanceSettings(null, null, null));

        var plan = Planner.Make(_facts, _settings);
        if (plan.Carveouts.Length != carveouts || plan.Namespaces.Length != namespaces.Count())
        {
            throw new InvalidOperationException($"benchmark setup made {plan.Carveouts.Length} carve-outs and {plan.Namespaces.Length} namespaces");
        }
    }

    [Benchmark]
    public Plan Plan() => Planner.Make(_facts, _settings, ImmutableArray<string>.Empty);
}
