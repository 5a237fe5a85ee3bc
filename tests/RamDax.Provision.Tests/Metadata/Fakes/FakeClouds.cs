using System.Text.Json;

namespace RamDax.Provision.Tests.Metadata.Fakes;

/// <summary>
/// Handlers that answer like the real metadata services, as their documentation describes them,
/// including how they refuse a request without the required header.
/// </summary>
public static class FakeClouds
{
    /// <summary>Azure IMDS: <c>Metadata: true</c> and an api-version are required (400 otherwise, like the real service).</summary>
    public static Func<TestRequest, TestResponse> Azure(string vmSize, IReadOnlyDictionary<string, string> tags, string? userData = null) => request =>
    {
        if (request.Header("Metadata") != "true")
        {
            return new TestResponse(400, """{"error":"Bad request. Required metadata header not specified"}""");
        }

        if (request.Path != "/metadata/instance" || !request.Target.Contains("api-version=", StringComparison.Ordinal))
        {
            return request.Path == "/metadata/instance" ? new TestResponse(400, """{"error":"Bad request. api-version was not specified in the request"}""") : TestResponse.NotFound();
        }

        var tagsList = string.Join(",", tags.Select(t => $$"""{"name":{{JsonSerializer.Serialize(t.Key)}},"value":{{JsonSerializer.Serialize(t.Value)}}}"""));
        var encoded = userData is null ? "" : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(userData));
        return TestResponse.Ok($$"""
            {
              "compute": {
                "azEnvironment": "AzurePublicCloud",
                "location": "westeurope",
                "name": "ramdax-test",
                "osType": "Linux",
                "tags": "{{string.Join(";", tags.Select(t => t.Key + ":" + t.Value)).Replace("\"", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)}}",
                "tagsList": [{{tagsList}}],
                "userData": "{{encoded}}",
                "vmId": "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
                "vmSize": "{{vmSize}}",
                "zone": ""
              },
              "network": { "interface": [] }
            }
            """);
    };

    /// <summary>
    /// AWS IMDS. With <paramref name="v2Only"/>, a GET without a valid token gets 401 (the
    /// <c>HttpTokens=required</c> setting); with <paramref name="tokensDisabled"/>, the token PUT gets
    /// 403 like an IMDSv1-only service behind a hop limit.
    /// </summary>
    public static Func<TestRequest, TestResponse> Aws(IReadOnlyDictionary<string, string> paths, string token, bool v2Only = true, bool tokensDisabled = false) => request =>
    {
        if (request.Method == "PUT" && request.Path == "/latest/api/token")
        {
            if (tokensDisabled)
            {
                return new TestResponse(403, "Forbidden");
            }

            return request.Header("X-aws-ec2-metadata-token-ttl-seconds") is { } ttl && int.TryParse(ttl, out var seconds) && seconds is >= 1 and <= 21600
                ? TestResponse.Ok(token)
                : new TestResponse(400, "Bad Request");
        }

        if (request.Method != "GET")
        {
            return new TestResponse(405, "Method Not Allowed");
        }

        var presented = request.Header("X-aws-ec2-metadata-token");
        if ((v2Only && presented is null) || (presented is not null && presented != token))
        {
            return new TestResponse(401, "Unauthorized");
        }

        return paths.TryGetValue(request.Path, out var body) ? TestResponse.Ok(body) : TestResponse.NotFound();
    };

    /// <summary>The usual AWS instance paths.</summary>
    public static Dictionary<string, string> AwsInstance(string type, string? tag = null, string? userData = null)
    {
        var paths = new Dictionary<string, string>
        {
            ["/latest/meta-data/instance-id"] = "i-0929128ff2f73a2f1",
            ["/latest/meta-data/instance-type"] = type,
            ["/latest/meta-data/placement/region"] = "us-east-1",
        };
        if (tag is not null)
        {
            paths["/latest/meta-data/tags/instance/ramdax"] = tag;
        }

        if (userData is not null)
        {
            paths["/latest/user-data"] = userData;
        }

        return paths;
    }

    /// <summary>GCE metadata server: <c>Metadata-Flavor: Google</c> is required (403 otherwise); answers carry the same header.</summary>
    public static Func<TestRequest, TestResponse> Gce(IReadOnlyDictionary<string, string> attributes) => request =>
    {
        if (request.Header("Metadata-Flavor") != "Google")
        {
            return new TestResponse(403, "Your client does not have permission to get URL from this server. Missing Metadata-Flavor:Google header.");
        }

        const string prefix = "/computeMetadata/v1/instance/";
        if (!request.Path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return TestResponse.NotFound();
        }

        var path = request.Path[prefix.Length..];
        var body = path switch
        {
            "id" => "4520031799277581759",
            "machine-type" => "projects/123456789012/machineTypes/n2-highmem-8",
            "zone" => "projects/123456789012/zones/us-central1-a",
            _ when path.StartsWith("attributes/", StringComparison.Ordinal) => attributes.GetValueOrDefault(path["attributes/".Length..]),
            _ => null,
        };
        return body is null
            ? TestResponse.NotFound()
            : new TestResponse(200, body, new Dictionary<string, string> { ["Metadata-Flavor"] = "Google" });
    };

    /// <summary>The OpenStack metadata service's <c>openstack/latest</c> files.</summary>
    public static Func<TestRequest, TestResponse> OpenStack(string metaDataJson, string? userData = null) => request => request.Path switch
    {
        "/openstack/latest/meta_data.json" => TestResponse.Ok(metaDataJson),
        "/openstack/latest/user_data" when userData is not null => TestResponse.Ok(userData),
        _ => TestResponse.NotFound(),
    };
}
