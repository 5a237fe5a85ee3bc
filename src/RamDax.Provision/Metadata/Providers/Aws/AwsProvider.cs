using System.Globalization;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Metadata.Http;

namespace RamDax.Provision.Metadata.Providers.Aws;

/// <summary>
/// EC2 Instance Metadata Service, version 2: a session token from <c>PUT /latest/api/token</c>, then
/// GETs with <c>X-aws-ec2-metadata-token</c>. Version 1 (no token) only when
/// <c>metadata.allow_imdsv1: true</c>. The <c>ramdax</c> instance tag (when tags are exposed in
/// metadata) and <c>#cloud-config</c> user-data carry configuration.
/// </summary>
public sealed class AwsProvider(MetadataHttpClient http, bool allowImdsV1) : IMetadataProvider
{
    public const string TokenPath = "/latest/api/token";
    public const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
    public const string TokenHeader = "X-aws-ec2-metadata-token";

    /// <summary>Real tokens are about 56 characters of base64.</summary>
    public const int MaxTokenLength = 1024;

    // Long enough for one run; the token never leaves this object.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);

    public MetadataSource Source => MetadataSource.Aws;

    public async Task<InstanceMetadata?> FetchAsync(CancellationToken cancellationToken)
    {
        var headers = await SessionHeadersAsync(cancellationToken).ConfigureAwait(false);
        var id = await GetAsync("/latest/meta-data/instance-id", headers, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return null;
        }

        var type = await GetAsync("/latest/meta-data/instance-type", headers, cancellationToken).ConfigureAwait(false);
        var region = await GetAsync("/latest/meta-data/placement/region", headers, cancellationToken).ConfigureAwait(false);
        var tag = await GetAsync("/latest/meta-data/tags/instance/ramdax", headers, cancellationToken).ConfigureAwait(false);
        var userData = await GetAsync("/latest/user-data", headers, cancellationToken).ConfigureAwait(false);

        var configurations = new List<MetadataConfiguration>();
        if (tag is { Length: > 0 })
        {
            configurations.Add(new MetadataConfiguration(tag, "aws tag 'ramdax'", MetadataConfigurationKind.Tag));
        }

        if (userData is { Length: > 0 })
        {
            configurations.Add(new MetadataConfiguration(userData, "aws user-data", MetadataConfigurationKind.UserData));
        }

        var version = headers.Length == 0 ? "IMDSv1" : "IMDSv2";
        return new InstanceMetadata("aws", id.Trim(), type?.Trim(), region?.Trim(),
            $"aws {version} {MetadataEndpoint.Display(http.BaseUrl)}", [.. configurations], []);
    }

    private async Task<KeyValuePair<string, string>[]> SessionHeadersAsync(CancellationToken cancellationToken)
    {
        var ttl = ((int)TokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var response = await http.SendAsync(HttpMethod.Put, TokenPath, [new(TokenTtlHeader, ttl)], cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess && response.Body.Trim() is { Length: > 0 } token)
        {
            // The token goes back in a header: anything but printable ASCII could end it and add headers of its own.
            if (token.Length > MaxTokenLength || token.Any(c => c is < '!' or > '~'))
            {
                throw new MetadataFetchException(
                    $"aws: the answer to PUT {TokenPath} is not an IMDSv2 token (control characters, spaces or more than {MaxTokenLength} characters); refused, it is not sent back");
            }

            return [new(TokenHeader, token)];
        }

        if (allowImdsV1)
        {
            return [];
        }

        // Never print the token or the body; the status says enough.
        throw new MetadataFetchException(
            $"aws: PUT {TokenPath} answered {response}, so no IMDSv2 session; set metadata.allow_imdsv1: true only if this service really is IMDSv1-only");
    }

    private async Task<string?> GetAsync(string path, KeyValuePair<string, string>[] headers, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(HttpMethod.Get, path, headers, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            404 => null,
            401 => throw new MetadataFetchException($"aws: GET {path} answered 401 Unauthorized; the service wants an IMDSv2 token"),
            _ when response.IsSuccess => response.Body,
            _ => throw new MetadataFetchException($"aws: GET {path} answered {response}"),
        };
    }
}
