using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Metadata;

/// <summary>One source of instance metadata. It only fetches; the configuration layer merges.</summary>
public interface IMetadataProvider
{
    MetadataSource Source { get; }

    /// <summary>
    /// The source's answer, or null when the source is plainly not there (no files, 404).
    /// Throws <see cref="MetadataFetchException"/> when the source is there but gives no usable answer.
    /// </summary>
    Task<InstanceMetadata?> FetchAsync(CancellationToken cancellationToken);
}
