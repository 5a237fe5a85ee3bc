using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Metadata;

/// <summary>
/// What the metadata step found, for the plan's warnings and for status: the answer (or none), the
/// source that gave it, and why the others did not.
/// </summary>
/// <param name="Requested">The <c>metadata.source</c> setting.</param>
/// <param name="AnsweredBy">The source that answered, or null.</param>
/// <param name="Metadata">The answer, or null when metadata was skipped or no source answered.</param>
/// <param name="Warnings">Things a person should know (no source answered, a file unreadable, ...).</param>
public sealed record MetadataOutcome(
    MetadataSource Requested,
    MetadataSource? AnsweredBy,
    InstanceMetadata? Metadata,
    ImmutableArray<string> Warnings)
{
    /// <summary>Whether some source answered.</summary>
    public bool Answered => Metadata is not null;
}
