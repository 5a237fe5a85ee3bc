using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// Gives a <c>rest</c> namespace what trimming took from the request. Ranges are split before the
/// namespaces are laid out, so a range that ends up holding only fixed-size namespaces is cut to
/// them, and the request's remainder would stay with the OS although a carve-out with a
/// <c>rest</c> namespace has free memory beside it. That carve-out grows into it, up to the
/// request, never crossing its System RAM range or node and keeping a step from every other range.
/// </summary>
internal static class CarveoutGrower
{
    /// <summary>The carve-outs grown by at most <c>total - carved</c>, or the same array when none can grow.</summary>
    public static ImmutableArray<PlannedCarveout> Grow(MachineMemory memory, CarveoutSettings settings, ImmutableArray<PlannedCarveout> carveouts,
        ImmutableArray<PlannedNamespace> namespaces, ImmutableArray<NamespaceSettings> wanted, ulong total)
    {
        var carved = carveouts.Aggregate(0UL, (sum, c) => sum + c.Size);
        var rest = wanted.Where(n => n.Size is SizeRequest.Rest).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        if (carved >= total || rest.Count == 0)
        {
            return carveouts;
        }

        var free = memory.Free(settings);
        var ranges = carveouts.Select(c => new MemoryRange(c.Start, c.End)).ToList();
        var missing = ByteSize.AlignDown(total - carved, settings.Alignment);
        var before = missing;
        for (var i = 0; i < ranges.Count && missing > 0; i++)
        {
            if (!namespaces.Any(n => n.Carveout == i && rest.Contains(n.Name))
                || free.Around(ranges[i], ranges.Where((_, j) => j != i)) is not { } room)
            {
                continue;
            }

            var range = ranges[i];
            var below = range.Start > room.Start ? range.Start - room.Start : 0;
            var above = room.End > range.End ? room.End - range.End : 0;
            // Grow the way placement fills first: down for highest_first, up for lowest_first.
            var first = Math.Min(missing, settings.Order == PlacementOrder.HighestFirst ? below : above);
            var second = Math.Min(missing - first, settings.Order == PlacementOrder.HighestFirst ? above : below);
            var (down, up) = settings.Order == PlacementOrder.HighestFirst ? (first, second) : (second, first);
            ranges[i] = new MemoryRange(range.Start - down, range.End + up);
            missing -= down + up;
        }

        return missing == before ? carveouts : [.. carveouts.Select((c, i) => ranges[i].Size == c.Size ? c : c with { Start = ranges[i].Start, Size = ranges[i].Size, Available = NamespaceCapacity.Available(ranges[i].Size) })];
    }
}
