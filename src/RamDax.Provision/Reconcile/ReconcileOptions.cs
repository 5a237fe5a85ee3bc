using System.Collections.Immutable;

namespace RamDax.Provision.Reconcile;

/// <summary>
/// What the reconcile needs beyond the plan. <see cref="NamespacesSeenBefore"/> comes from the state
/// kept across boots (the names of the namespaces the last run left in place): it is how an empty
/// region is told apart as "cleared by a cold boot" from "never made".
/// </summary>
public sealed record ReconcileOptions
{
    public ImmutableHashSet<string> NamespacesSeenBefore { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>
    /// How long to wait for the regions to appear once the driver is bound. The wait ends as soon as
    /// they are there (a quarter of a second on an idle machine); under load the first regions
    /// took about 21 s to show in the test guest, so the bound leaves room for a slower host.
    /// </summary>
    public TimeSpan RegionWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often to look for them meanwhile.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether to write the report to <see cref="ReconcileReport.StatusPath"/>.</summary>
    public bool WriteStatus { get; init; } = true;
}
