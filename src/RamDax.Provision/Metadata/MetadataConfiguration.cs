namespace RamDax.Provision.Metadata;

/// <summary>
/// One raw configuration text and where it came from. The text may be user-data: it never goes into a
/// message or a log, only <see cref="Origin"/> does.
/// </summary>
/// <param name="Text">The text as fetched.</param>
/// <param name="Origin">The layer name a person sees in <c>plan --explain</c> and in errors (<c>aws tag 'ramdax'</c>).</param>
/// <param name="Kind">How the text is written.</param>
public sealed record MetadataConfiguration(string Text, string Origin, MetadataConfigurationKind Kind)
{
    // Keep user-data out of anything that prints records.
    public override string ToString() => $"{Kind} from {Origin} ({Text.Length} characters)";
}
