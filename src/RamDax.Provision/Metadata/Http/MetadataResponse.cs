namespace RamDax.Provision.Metadata.Http;

/// <summary>A metadata service's answer, its body already read (and bounded).</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Reason">The reason phrase.</param>
/// <param name="Location">The redirect target, if any.</param>
/// <param name="Body">The body as text.</param>
/// <param name="Headers">The response headers, names compared without case; several values joined with ", ".</param>
public sealed record MetadataResponse(int Status, string Reason, Uri? Location, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsRedirect => Status is >= 300 and < 400 && Location is not null;

    /// <summary>The value of the response header <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => Headers is not null && Headers.TryGetValue(name, out var value) ? value : null;

    // The body may be user-data or a token: never print it.
    public override string ToString() => $"{Status} {Reason}";
}
