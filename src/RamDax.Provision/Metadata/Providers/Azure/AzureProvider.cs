using System.Text.Json;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Metadata.Http;

namespace RamDax.Provision.Metadata.Providers.Azure;

/// <summary>
/// Azure Instance Metadata Service: one GET of <c>/metadata/instance?api-version=2021-02-01</c> with
/// <c>Metadata: true</c>. The <c>ramdax</c> tag carries configuration; <c>compute.userData</c> is base64 user-data.
/// </summary>
public sealed class AzureProvider(MetadataHttpClient http) : IMetadataProvider
{
    public const string InstancePath = "/metadata/instance?api-version=2021-02-01";

    private static readonly KeyValuePair<string, string>[] Headers = [new("Metadata", "true")];

    public MetadataSource Source => MetadataSource.Azure;

    public async Task<InstanceMetadata?> FetchAsync(CancellationToken cancellationToken)
    {
        var body = await http.GetTextAsync(InstancePath, Headers, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        AzureInstanceDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(body, MetadataJsonContext.Default.AzureInstanceDocument);
        }
        catch (JsonException e)
        {
            throw new MetadataFetchException($"azure: the answer to GET {InstancePath} is not valid JSON (line {e.LineNumber + 1})", e);
        }

        var compute = document?.Compute
            ?? throw new MetadataFetchException($"azure: the answer to GET {InstancePath} has no compute object; is {MetadataEndpoint.Display(http.BaseUrl)} Azure IMDS?");
        var configurations = new List<MetadataConfiguration>();
        var tag = compute.TagsList?.LastOrDefault(t => string.Equals(t.Name, "ramdax", StringComparison.Ordinal));
        if (tag?.Value is { Length: > 0 } tagText)
        {
            configurations.Add(new MetadataConfiguration(tagText, "azure tag 'ramdax'", MetadataConfigurationKind.Tag));
        }

        var notes = new List<string>();
        if (compute.UserData is { Length: > 0 } encoded)
        {
            var userData = ConfigurationText.TryDecodeBase64(encoded);
            if (userData is null)
            {
                notes.Add("azure: compute.userData is not base64 text; it is not read");
            }
            else
            {
                configurations.Add(new MetadataConfiguration(userData, "azure user-data", MetadataConfigurationKind.UserData));
            }
        }

        return new InstanceMetadata("azure", Blank(compute.VmId), Blank(compute.VmSize), Blank(compute.Location),
            $"azure IMDS {MetadataEndpoint.Display(http.BaseUrl)}", [.. configurations], [.. notes]);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
