using System.Collections.Immutable;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// Turns carve-outs into kernel arguments and compares them with the running command line. Only
/// arguments this agent wrote before (<c>ownedBefore</c>) are ever proposed for removal.
/// </summary>
public static class KernelArgumentPlanner
{
    public const string BlacklistNdE820 = "modprobe.blacklist=nd_e820";
    /// <summary>
    /// The x86 decompressor avoids at most this many memmap entries when it picks a random physical
    /// address; with more it gives up physical randomisation only (kaslr.c: memmap_too_large makes
    /// find_random_phys_addr return 0, find_random_virt_addr still runs). So no <c>nokaslr</c>,
    /// which would also turn off virtual randomisation.
    /// </summary>
    public const int KaslrSafeRanges = 4;

    public static ImmutableArray<string> Wanted(IReadOnlyList<PlannedCarveout> carveouts, DriverKind driver)
    {
        if (carveouts.Count == 0)
        {
            return [];
        }

        var wanted = ImmutableArray.CreateBuilder<string>();
        wanted.Add("memmap=" + string.Join(',', carveouts.OrderBy(c => c.Start).Select(c => c.MemmapSpec)));
        if (driver == DriverKind.Ramdax)
        {
            wanted.Add(BlacklistNdE820);
        }

        return wanted.ToImmutable();
    }

    public static KernelArgumentChanges Compare(ImmutableArray<string> wanted, KernelCommandLine running, IEnumerable<string> ownedBefore)
    {
        var add = wanted.Where(a => !running.Contains(a)).ToImmutableArray();
        var remove = ownedBefore
            .Distinct(StringComparer.Ordinal)
            .Where(a => running.Contains(a) && !wanted.Contains(a, StringComparer.Ordinal))
            .ToImmutableArray();
        return new KernelArgumentChanges(wanted, add, remove);
    }
}
