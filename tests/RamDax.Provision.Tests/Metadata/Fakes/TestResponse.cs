namespace RamDax.Provision.Tests.Metadata.Fakes;

/// <summary>What the server answers. <paramref name="StreamWithoutLength"/> sends no Content-Length and closes after the body.</summary>
public sealed record TestResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, bool StreamWithoutLength = false)
{
    public static TestResponse Ok(string body) => new(200, body);

    public static TestResponse NotFound() => new(404, "Not Found");
}
