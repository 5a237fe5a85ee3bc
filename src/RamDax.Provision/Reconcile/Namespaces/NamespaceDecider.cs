using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Namespaces;

/// <summary>
/// Pure: decides, for the namespaces planned on one region, whether to reuse, create, convert or
/// leave each one. Sizes are compared with what ndctl reports, which for fsdax and devdax is the
/// usable size (verified: <c>-s 512M -a 2M</c> reports 526385152, exactly
/// <see cref="PlannedNamespace.UsableSize"/>); <see cref="SizeTolerance"/> absorbs a kernel that
/// rounds its metadata a little differently while staying far below one 16 MiB size step.
/// </summary>
public static class NamespaceDecider
{
    public const ulong SizeTolerance = 4 * ByteSize.MiB;

    /// <param name="driver">Which driver made the region: ramdax regions are labelled and split, nd_e820 ones are one raw namespace each.</param>
    /// <param name="facts">The region as read.</param>
    /// <param name="planned">The namespaces planned on it, in plan order.</param>
    /// <param name="seenBefore">The namespaces the previous run left in place.</param>
    public static RegionDecision Decide(DriverKind driver, RegionFacts facts, ImmutableArray<PlannedNamespace> planned, IReadOnlySet<string> seenBefore) =>
        driver == DriverKind.Ramdax ? DecideRamdax(facts, planned, seenBefore) : DecideNdE820(facts, planned, seenBefore);

    /// <summary>A cold boot leaves a ramdax region with no namespace and all of its space free.</summary>
    public static bool LooksColdBooted(NdctlRegion region) =>
        region.Namespaces.IsEmpty && region.AvailableSize >= NamespaceCapacity.Available(region.Size);

    /// <summary>How <paramref name="actual"/> differs from <paramref name="planned"/>, or null when it matches.</summary>
    public static string? Difference(PlannedNamespace planned, NdctlNamespace actual)
    {
        var differences = new List<string>();
        if (actual.NormalizedMode != ModeWord(planned.Mode))
        {
            differences.Add($"mode {actual.NormalizedMode}, not {ModeWord(planned.Mode)}");
        }

        var gap = actual.Size > planned.UsableSize ? actual.Size - planned.UsableSize : planned.UsableSize - actual.Size;
        if (gap > SizeTolerance)
        {
            differences.Add($"{ByteSize.FormatExact(actual.Size)} usable, not {ByteSize.FormatExact(planned.UsableSize)} (from -s {ByteSize.FormatExact(planned.Size)})");
        }

        if (actual.Align is { } align && align != planned.Alignment)
        {
            differences.Add($"align {ByteSize.FormatExact(align)}, not {ByteSize.FormatExact(planned.Alignment)}");
        }

        return differences.Count == 0 ? null : string.Join(", ", differences);
    }

    public static string ModeWord(NamespaceMode mode) => mode == NamespaceMode.Fsdax ? "fsdax" : "devdax";

    private static RegionDecision DecideRamdax(RegionFacts facts, ImmutableArray<PlannedNamespace> planned, IReadOnlySet<string> seenBefore)
    {
        var region = facts.Region;
        var coldBooted = LooksColdBooted(region);
        var decisions = ImmutableArray.CreateBuilder<NamespaceDecision>();
        foreach (var p in planned)
        {
            var named = region.Namespaces.Where(n => n.Name == p.Name).ToList();
            if (named.Count > 1)
            {
                decisions.Add(new NamespaceDecision.LeaveDrifted(p, null,
                    $"{named.Count} namespaces of {region.Dev} are named '{p.Name}' ({string.Join(", ", named.Select(n => n.Dev))}); "
                    + "destroy the ones not in use with ndctl destroy-namespace"));
                continue;
            }

            if (named.Count == 0)
            {
                var afterColdBoot = coldBooted && seenBefore.Contains(p.Name);
                var why = afterColdBoot
                    ? $"a cold boot cleared {region.Dev} (its labels live in RAM), as expected: made again, empty; the data it held is gone"
                    : seenBefore.Contains(p.Name)
                        ? "it was in place last boot but is missing now (destroyed by hand?): made again, empty"
                        : "it did not exist";
                decisions.Add(new NamespaceDecision.Create(p, afterColdBoot, why));
                continue;
            }

            var existing = named[0];
            decisions.Add(Drifted(p, existing, facts, replace: () => new NamespaceDecision.Recreate(p, existing, Difference(p, existing)!))
                ?? new NamespaceDecision.Reuse(p, existing));
        }

        var names = planned.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return new RegionDecision(decisions.ToImmutable(), [.. region.Namespaces.Where(n => n.Name is null || !names.Contains(n.Name))]);
    }

    private static RegionDecision DecideNdE820(RegionFacts facts, ImmutableArray<PlannedNamespace> planned, IReadOnlySet<string> seenBefore)
    {
        var region = facts.Region;
        var decisions = ImmutableArray.CreateBuilder<NamespaceDecision>();
        var existing = region.Namespaces.FirstOrDefault();
        for (var i = 0; i < planned.Length; i++)
        {
            var p = planned[i];
            if (i > 0)
            {
                decisions.Add(new NamespaceDecision.Impossible(p, $"{region.Dev} is an nd_e820 region: it holds one namespace only, and '{planned[0].Name}' takes it"));
                continue;
            }

            if (existing is null)
            {
                decisions.Add(new NamespaceDecision.Impossible(p, $"{region.Dev} shows no namespace; an nd_e820 region always has one: is it disabled? (ndctl enable-region {region.Dev})"));
                continue;
            }

            if (existing.IsUnconverted)
            {
                var signature = existing.DevicePath is { } path && facts.RawSignatures.TryGetValue(path, out var s) ? s : null;
                if (signature is null)
                {
                    decisions.Add(new NamespaceDecision.Impossible(p, $"the raw {existing.Dev} has no block device to check for data; converting it unchecked could destroy data"));
                }
                else if (!signature.IsBlank && !p.Wipe)
                {
                    decisions.Add(new NamespaceDecision.LeaveDrifted(p, existing,
                        $"the raw {existing.Dev} ({existing.DevicePath}) carries {signature.Describe()}; converting it to {ModeWord(p.Mode)} would destroy that. "
                        + $"Set wipe: true for namespace '{p.Name}' to convert it anyway"));
                }
                else
                {
                    var afterColdBoot = seenBefore.Contains(p.Name) && signature.IsBlank;
                    decisions.Add(new NamespaceDecision.Convert(p, existing, afterColdBoot,
                        afterColdBoot
                            ? $"a cold boot cleared {region.Dev} (it is RAM), as expected: converted again, empty; the data it held is gone"
                            : signature.IsBlank ? "it was raw" : $"it was raw with {signature.Describe()}, replaced because wipe: true"));
                }

                continue;
            }

            decisions.Add(Drifted(p, existing, facts, replace: () => new NamespaceDecision.Convert(p, existing, false, $"reconfigured: it had {Difference(p, existing)}"))
                ?? new NamespaceDecision.Reuse(p, existing));
        }

        return new RegionDecision(decisions.ToImmutable(), [.. region.Namespaces.Skip(planned.IsEmpty ? 0 : 1)]);
    }

    // Null when the namespace matches the plan. Otherwise: replaced only when reconfigure allows it
    // and nothing of it is mounted; never a namespace whose filesystem is in use.
    private static NamespaceDecision? Drifted(PlannedNamespace p, NdctlNamespace existing, RegionFacts facts, Func<NamespaceDecision> replace)
    {
        var difference = Difference(p, existing);
        if (difference is null)
        {
            return null;
        }

        if (!p.Reconfigure)
        {
            return new NamespaceDecision.LeaveDrifted(p, existing,
                $"{existing.Dev} has {difference}; left alone. Set reconfigure: true for namespace '{p.Name}' to destroy and recreate it (its data is lost)");
        }

        if (existing.DevicePath is { } path && facts.Mounts.OfDevice(path) is { } mount)
        {
            return new NamespaceDecision.LeaveDrifted(p, existing,
                $"{existing.Dev} has {difference}, but {path} is mounted at {mount.MountPoint}; it is never destroyed while mounted. Unmount it and run again");
        }

        return replace();
    }
}
