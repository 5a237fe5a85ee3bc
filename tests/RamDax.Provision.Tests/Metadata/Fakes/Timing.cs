using RamDax.Provision.Metadata.Http;

namespace RamDax.Provision.Tests.Metadata.Fakes;

/// <summary>Client timing for tests: real clock, back-off in milliseconds, so retries cost nothing.</summary>
public static class Timing
{
    public static MetadataHttpOptions Fast(TimeSpan? budget = null, TimeSpan? attemptTimeout = null) =>
        new(budget ?? TimeSpan.FromSeconds(20), attemptTimeout ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10), TimeProvider.System);
}
