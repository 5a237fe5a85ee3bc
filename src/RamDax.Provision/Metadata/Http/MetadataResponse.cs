namespace RamDax.Provision.Metadata.Http;

/// <summary>A metadata service's answer, its body already read (and bounded).</summary>
public sealed record MetadataResponse(int Status, string Reason, Uri? Location, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsRedirect => Status is >= 300 and < 400 && Location is not null;

    // The body may be user-data or a token: never print it.
    public override string ToString() => $"{Status} {Reason}";
}
