using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// The machine's memory as the planner sees it: the firmware map, the NUMA nodes of its memory
/// blocks, and the foreign memory arguments of the command line, with what the kernel really
/// gives the OS (System RAM below the <c>mem=</c> limit, less foreign memmap ranges).
/// </summary>
public sealed record MachineMemory(FirmwareMemoryMap Map, NumaTopology Numa, ForeignMemory Foreign)
{
    /// <summary>The System RAM the kernel gives the OS before any carve-out of ours.</summary>
    public ulong OsRam { get; } = ComputeOsRam(Map, Foreign);

    /// <summary>How <see cref="OsRam"/> is made, for messages.</summary>
    public string OsRamWhat =>
        (Foreign.Limit is { } limit ? $"System RAM below mem={ByteSize.FormatExact(limit)}" : "System RAM")
        + (Foreign.Ranges.IsEmpty ? "" : " less foreign memmap ranges");

    internal FreeSpace Free(CarveoutSettings settings) => new(Map, Numa, Foreign, settings);

    private static ulong ComputeOsRam(FirmwareMemoryMap map, ForeignMemory foreign)
    {
        var limit = foreign.Limit ?? ulong.MaxValue;
        var total = 0UL;
        foreach (var ram in map.SystemRam)
        {
            var clipped = new MemoryRange(ram.Start, Math.Min(ram.End, limit));
            if (clipped.End <= clipped.Start)
            {
                continue;
            }

            var size = clipped.Size;
            // Foreign ranges may overlap each other; count each byte once.
            var covered = foreign.Ranges
                .Where(f => f.Range.Overlaps(clipped))
                .Select(f => new MemoryRange(Math.Max(f.Range.Start, clipped.Start), Math.Min(f.Range.End, clipped.End)))
                .OrderBy(r => r.Start)
                .ToList();
            var at = clipped.Start;
            foreach (var r in covered)
            {
                var start = Math.Max(r.Start, at);
                if (r.End > start)
                {
                    size -= r.End - start;
                    at = r.End;
                }
            }

            total += size;
        }

        return total;
    }
}
