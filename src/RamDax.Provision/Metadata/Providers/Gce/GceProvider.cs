using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Metadata.Http;

namespace RamDax.Provision.Metadata.Providers.Gce;

/// <summary>
/// Google Compute Engine metadata server (<c>/computeMetadata/v1/instance/...</c> with
/// <c>Metadata-Flavor: Google</c>). The <c>ramdax</c> attribute and the <c>user-data</c> attribute
/// carry configuration. The server answers 503 for a moment while it starts; the client retries.
/// </summary>
public sealed class GceProvider(MetadataHttpClient http) : IMetadataProvider
{
    public const string InstancePath = "/computeMetadata/v1/instance/";

    public const string FlavorHeader = "Metadata-Flavor";

    private static readonly KeyValuePair<string, string>[] Headers = [new(FlavorHeader, "Google")];

    public MetadataSource Source => MetadataSource.Gce;

    public async Task<InstanceMetadata?> FetchAsync(CancellationToken cancellationToken)
    {
        var id = await GetAsync("id", cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return null;
        }

        // machine-type and zone are paths: projects/123/machineTypes/n2-highmem-8, projects/123/zones/us-central1-a.
        var machineType = LastSegment(await GetAsync("machine-type", cancellationToken).ConfigureAwait(false));
        var zone = LastSegment(await GetAsync("zone", cancellationToken).ConfigureAwait(false));
        var attribute = await GetAsync("attributes/ramdax", cancellationToken).ConfigureAwait(false);
        var userData = await GetAsync("attributes/user-data", cancellationToken).ConfigureAwait(false);

        var configurations = new List<MetadataConfiguration>();
        if (attribute is { Length: > 0 })
        {
            configurations.Add(new MetadataConfiguration(attribute, "gce attribute 'ramdax'", MetadataConfigurationKind.Tag));
        }

        if (userData is { Length: > 0 })
        {
            configurations.Add(new MetadataConfiguration(userData, "gce attribute 'user-data'", MetadataConfigurationKind.UserData));
        }

        return new InstanceMetadata("gce", id.Trim(), machineType, Region(zone),
            $"gce metadata server {MetadataEndpoint.Display(http.BaseUrl)}", [.. configurations], []);
    }

    // The real server puts Metadata-Flavor: Google on every answer; a proxy, a captive portal or
    // another service on that name does not, and its answer must not become this instance's identity.
    private async Task<string?> GetAsync(string path, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(HttpMethod.Get, InstancePath + path, Headers, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && response.Header(FlavorHeader) is null)
        {
            return null;
        }

        if (!string.Equals(response.Header(FlavorHeader)?.Trim(), "Google", StringComparison.Ordinal))
        {
            throw new MetadataFetchException(
                $"gce: the answer to GET {InstancePath}{path} ({response}) lacks the response header {FlavorHeader}: Google, so it is not from a GCE metadata server; refused");
        }

        return response.Status switch
        {
            404 => null,
            _ when response.IsSuccess => response.Body,
            _ => throw new MetadataFetchException($"gce: GET {InstancePath}{path} answered {response}"),
        };
    }

    private static string? LastSegment(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : path.Trim()[(path.Trim().LastIndexOf('/') + 1)..];

    // us-central1-a is in the region us-central1.
    private static string? Region(string? zone)
    {
        if (zone is null)
        {
            return null;
        }

        var dash = zone.LastIndexOf('-');
        return dash > 0 ? zone[..dash] : zone;
    }
}
