namespace RamDax.Provision.Tests.Metadata.Fakes;

/// <summary>One request as the server saw it.</summary>
public sealed record TestRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => Target.Split('?')[0];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
