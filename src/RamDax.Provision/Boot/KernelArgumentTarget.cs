using System.Collections.Immutable;

namespace RamDax.Provision.Boot;

/// <summary>
/// What the boot configuration should carry: <see cref="Wanted"/> present, <see cref="Stale"/>
/// (arguments this agent wrote before and no longer wants) absent.
/// </summary>
public sealed record KernelArgumentTarget(ImmutableArray<string> Wanted, ImmutableArray<string> Stale)
{
    /// <summary>From the wanted arguments and every argument the agent has ever written and still owns.</summary>
    public static KernelArgumentTarget From(IEnumerable<string> wanted, IEnumerable<string> owned)
    {
        var wantedList = wanted.Distinct(StringComparer.Ordinal).ToImmutableArray();
        return new KernelArgumentTarget(
            wantedList,
            [.. owned.Distinct(StringComparer.Ordinal).Where(a => !wantedList.Contains(a, StringComparer.Ordinal))]);
    }

    /// <summary>Every argument the agent may touch.</summary>
    public IReadOnlySet<string> Ours => Wanted.Concat(Stale).ToHashSet(StringComparer.Ordinal);

    /// <summary>Nothing to add and nothing to take away.</summary>
    public bool IsEmpty => Wanted.IsEmpty && Stale.IsEmpty;
}
