using RamDax.Provision.Metadata;

namespace RamDax.Provision.Apply;

/// <summary>The two ways a run gets instance metadata: from the sources the local settings name, or none at all.</summary>
public static class MetadataSources
{
    /// <summary>The <c>metadata:</c> settings of the local layers, then the sources they name.</summary>
    public static MetadataSeam Fetched { get; } = (request, _) =>
    {
        var metadata = MetadataStep.Resolve(request, offline: false);
        return Task.FromResult((metadata.ApplyTo(request), (IReadOnlyList<string>)metadata.Outcome.Warnings));
    };

    /// <summary>The local layers alone (a test's machine, which has no metadata service).</summary>
    public static MetadataSeam None { get; } = (request, _) => Task.FromResult((request, (IReadOnlyList<string>)[]));
}
