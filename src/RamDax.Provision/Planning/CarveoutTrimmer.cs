using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Planning;

/// <summary>
/// Never strands RAM: once the namespaces are laid out, a carve-out no namespace holds is not
/// carved, and one that holds only fixed-size namespaces is cut to what they take. A share that
/// more ranges would hold than there are namespaces to fill them says so; an absolute size that
/// would leave a range empty is refused with what to change.
/// </summary>
internal static class CarveoutTrimmer
{
    public static (ImmutableArray<PlannedCarveout> Carveouts, ImmutableArray<PlannedNamespace> Namespaces) Trim(
        ImmutableArray<PlannedCarveout> carveouts, ImmutableArray<PlannedNamespace> namespaces, ImmutableArray<NamespaceSettings> wanted, CarveoutSettings settings, ulong total, ICollection<string> warnings)
    {
        var rest = wanted.Where(n => n.Size is SizeRequest.Rest).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var byCarveout = namespaces.GroupBy(n => n.Carveout).ToDictionary(g => g.Key, g => g.ToList());
        var kept = new List<(PlannedCarveout Carveout, int Old)>();
        var dropped = new List<PlannedCarveout>();
        for (var c = 0; c < carveouts.Length; c++)
        {
            var carveout = carveouts[c];
            if (!byCarveout.TryGetValue(c, out var members))
            {
                dropped.Add(carveout);
                continue;
            }

            if (!members.Any(n => rest.Contains(n.Name)))
            {
                var need = members.Max(n => n.Offset + n.Size);
                var size = ByteSize.AlignUp(need + NamespaceCapacity.LabelArea, settings.Alignment) ?? carveout.Size;
                if (size < carveout.Size)
                {
                    var start = settings.Order == PlacementOrder.HighestFirst ? carveout.End - size : carveout.Start;
                    carveout = carveout with { Start = start, Size = size, Available = NamespaceCapacity.Available(size) };
                }
            }

            kept.Add((carveout, c));
        }

        var carved = kept.Aggregate(0UL, (sum, k) => sum + k.Carveout.Size);
        if (dropped.Count > 0)
        {
            var keptBefore = kept.Aggregate(0UL, (sum, k) => sum + carveouts[k.Old].Size);
            var largest = carveouts.Max(c => c.Available);
            if (settings.Size is SizeRequest.Absolute)
            {
                throw new PlanRefusedException(
                    $"carveout.size {settings.Size} takes {carveouts.Length} ranges on this machine, but the {namespaces.Length} namespace{(namespaces.Length == 1 ? "" : "s")} {(namespaces.Length == 1 ? "fills" : "fill")} only {kept.Count}: "
                    + $"{ByteSize.FormatHuman(dropped.Aggregate(0UL, (sum, d) => sum + d.Size))} would be carved with no namespace in it (one namespace holds at most one range, here at most {ByteSize.FormatHuman(largest)}); "
                    + $"add {dropped.Count} namespace{(dropped.Count == 1 ? "" : "s")} with size: rest, or ask for at most {ByteSize.FormatExact(keptBefore)}");
            }

            warnings.Add($"carveout.size {settings.Size} asks for {ByteSize.FormatHuman(total)}, which takes {carveouts.Length} ranges here, but the {namespaces.Length} namespace{(namespaces.Length == 1 ? "" : "s")} {(namespaces.Length == 1 ? "fills" : "fill")} only {kept.Count} "
                + $"(one namespace holds at most one range, here at most {ByteSize.FormatHuman(largest)}): carved {ByteSize.FormatHuman(carved)}, the other {ByteSize.FormatHuman(total - Math.Min(total, carved))} stays with the OS; "
                + "add namespaces with size: rest, one for each range, to use more");
        }
        else if (carved < total)
        {
            warnings.Add($"carveout.size {settings.Size} asks for {ByteSize.FormatHuman(total)} but the namespaces take {ByteSize.FormatHuman(carved)} with their labels and rounding: "
                + $"carved {ByteSize.FormatHuman(carved)}, the other {ByteSize.FormatHuman(total - carved)} stays with the OS; give a namespace size: rest to use it");
        }

        var index = new Dictionary<int, int>();
        for (var i = 0; i < kept.Count; i++)
        {
            index[kept[i].Old] = i;
        }

        return ([.. kept.Select(k => k.Carveout)], [.. namespaces.Select(n => n with { Carveout = index[n.Carveout] })]);
    }

    /// <summary>Fills in what each carve-out gives its namespaces, what overhead takes and what no namespace is given.</summary>
    public static ImmutableArray<PlannedCarveout> Account(ImmutableArray<PlannedCarveout> carveouts, ImmutableArray<PlannedNamespace> namespaces, DriverKind driver)
    {
        var usable = new ulong[carveouts.Length];
        var assigned = new ulong[carveouts.Length];
        foreach (var ns in namespaces)
        {
            usable[ns.Carveout] += ns.UsableSize;
            assigned[ns.Carveout] += ns.Size;
        }

        return [.. carveouts.Select((c, i) =>
        {
            var unassigned = driver == DriverKind.Ramdax || namespaces.IsEmpty ? c.Available - Math.Min(c.Available, assigned[i]) : 0;
            return c with { InNamespaces = usable[i], Unassigned = unassigned, Overhead = c.Size - usable[i] - unassigned };
        })];
    }
}
