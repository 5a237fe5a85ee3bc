using System.Collections.Immutable;

namespace RamDax.Provision.Metadata;

/// <summary>
/// Who this instance is and what it was asked for, as one metadata source told it. Providers only
/// fetch and return this; <see cref="MetadataLayers"/> turns it into configuration layers.
/// </summary>
/// <param name="Cloud">The cloud's short name (<c>aws</c>, <c>azure</c>, <c>gce</c>, <c>openstack</c>, <c>nocloud</c>, or cloud-init's <c>cloud_name</c>).</param>
/// <param name="Id">The instance id, when the source knows it.</param>
/// <param name="Type">The instance type or size (<c>m7i.4xlarge</c>, <c>Standard_E16s_v5</c>), which selects a profile.</param>
/// <param name="Region">The region or location, when the source knows it.</param>
/// <param name="Origin">Where the identity came from, for messages (<c>aws IMDSv2 http://169.254.169.254</c>).</param>
/// <param name="Configurations">The raw configuration texts the source carries, weakest first.</param>
/// <param name="Notes">Things a person should know about this answer (a file that could not be read, ...).</param>
public sealed record InstanceMetadata(
    string Cloud,
    string? Id,
    string? Type,
    string? Region,
    string Origin,
    ImmutableArray<MetadataConfiguration> Configurations,
    ImmutableArray<string> Notes)
{
    /// <summary>
    /// Combines cloud-init's answer with the cloud's own service: cloud-init's identity and merged
    /// cloud-config stay, the service adds what cloud-init does not carry (the <c>ramdax</c> tag or
    /// attribute, and the instance type where cloud-init's datasource has none). User-data is left
    /// out of the service's part, because cloud-init already merged it.
    /// </summary>
    public InstanceMetadata CompletedBy(InstanceMetadata service) => this with
    {
        Id = Id ?? service.Id,
        Type = Type ?? service.Type,
        Region = Region ?? service.Region,
        Origin = $"{Origin} + {service.Origin}",
        Configurations = [.. service.Configurations.Where(c => c.Kind == MetadataConfigurationKind.Tag), .. Configurations],
        Notes = Notes.AddRange(service.Notes),
    };
}
