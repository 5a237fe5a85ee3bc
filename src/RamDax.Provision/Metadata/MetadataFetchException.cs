namespace RamDax.Provision.Metadata;

/// <summary>
/// One metadata source did not give a usable answer (no answer within the budget, a refused redirect,
/// an oversized or malformed body). The message names the source and never carries tokens or user-data.
/// The resolver turns it into a warning, or into <see cref="MetadataUnavailableException"/> when
/// metadata is required.
/// </summary>
public sealed class MetadataFetchException : Exception
{
    public MetadataFetchException(string message)
        : base(message)
    {
    }

    public MetadataFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MetadataFetchException()
    {
    }
}
