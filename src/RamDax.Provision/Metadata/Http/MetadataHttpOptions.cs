namespace RamDax.Provision.Metadata.Http;

/// <summary>
/// How patiently one metadata source is asked. <see cref="Budget"/> bounds everything the source
/// does (all its requests and retries together); each attempt also has its own timeout. Tests shorten
/// the delays; time comes from <see cref="Time"/>.
/// </summary>
/// <param name="Budget">The total time one source may take (<c>metadata.budget</c>, 30 s by default).</param>
/// <param name="AttemptTimeout">How long one request may take before it is retried.</param>
/// <param name="FirstRetryDelay">The first back-off; it doubles, with jitter, up to <paramref name="MaxRetryDelay"/>.</param>
/// <param name="MaxRetryDelay">The longest back-off.</param>
/// <param name="Time">The clock.</param>
public sealed record MetadataHttpOptions(
    TimeSpan Budget,
    TimeSpan AttemptTimeout,
    TimeSpan FirstRetryDelay,
    TimeSpan MaxRetryDelay,
    TimeProvider Time)
{
    /// <summary>The largest body accepted; metadata documents are a few KiB, user-data at most 64 KiB on the big clouds.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Same-host redirects followed before giving up.</summary>
    public const int MaxRedirects = 3;

    /// <summary>The habits of the references (Ignition, Afterburn): 100 ms doubling to 5 s, 5 s per attempt.</summary>
    public static MetadataHttpOptions Default(TimeSpan budget) =>
        new(budget, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeProvider.System);

    /// <summary>The same options with a shorter budget, for probing a source nothing points at.</summary>
    public MetadataHttpOptions ForProbe(TimeSpan probeBudget) =>
        this with { Budget = probeBudget < Budget ? probeBudget : Budget, AttemptTimeout = probeBudget < AttemptTimeout ? probeBudget : AttemptTimeout };
}
