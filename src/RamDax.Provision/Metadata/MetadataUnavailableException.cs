namespace RamDax.Provision.Metadata;

/// <summary><c>metadata.required: true</c> and no source answered; nothing was changed.</summary>
public sealed class MetadataUnavailableException(IReadOnlyList<string> problems)
    : ProvisionException(Describe(problems), ExitCodes.MetadataUnavailable)
{
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<string> problems) =>
        "instance metadata is required (metadata.required: true) but no source answered; nothing was changed:"
        + Environment.NewLine
        + string.Join(Environment.NewLine, problems.Select(p => "  " + p))
        + Environment.NewLine
        + "  Check metadata.source and metadata.endpoint, or raise metadata.budget; set metadata.required: false to go on with the local configuration.";
}
