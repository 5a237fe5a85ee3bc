using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Metadata.Providers.Aws;
using RamDax.Provision.Tests.Metadata.Fakes;

namespace RamDax.Provision.Tests.Metadata.Providers.Aws;

public sealed class AwsProviderTests
{
    private const string Token = "AQAEAFTxSecretSessionToken==";

    [Fact]
    public async Task I_can_read_AWS_IMDSv2_with_a_session_token()
    {
        var paths = FakeClouds.AwsInstance("m7i.4xlarge", tag: "carveout:\n  size: 64G\n", userData: "#!/bin/sh\necho hello\n");
        await using var server = new TestHttpServer(FakeClouds.Aws(paths, Token, v2Only: true));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var metadata = await new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None);

        Assert.NotNull(metadata);
        Assert.Equal(("aws", "i-0929128ff2f73a2f1", "m7i.4xlarge", "us-east-1"), (metadata.Cloud, metadata.Id, metadata.Type, metadata.Region));
        Assert.StartsWith("aws IMDSv2 ", metadata.Origin, StringComparison.Ordinal);
        Assert.Equal(["aws tag 'ramdax'", "aws user-data"], metadata.Configurations.Select(c => c.Origin));
        var put = server.Requests.First();
        Assert.Equal(("PUT", "/latest/api/token"), (put.Method, put.Path));
        Assert.NotNull(put.Header(AwsProvider.TokenTtlHeader));
        Assert.All(server.Requests.Skip(1), r => Assert.Equal(Token, r.Header(AwsProvider.TokenHeader)));
    }

    [Fact]
    public async Task IMDSv1_is_not_used_unless_allowed()
    {
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("c7i.large"), Token, v2Only: false, tokensDisabled: true));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None));

        Assert.Contains("PUT /latest/api/token answered 403 Forbidden", e.Message, StringComparison.Ordinal);
        Assert.Contains("metadata.allow_imdsv1: true", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task IMDSv1_is_used_when_allowed_and_the_service_gives_no_token()
    {
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("c7i.large"), Token, v2Only: false, tokensDisabled: true));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var metadata = await new AwsProvider(http, allowImdsV1: true).FetchAsync(CancellationToken.None);

        Assert.Equal("c7i.large", metadata?.Type);
        Assert.StartsWith("aws IMDSv1 ", metadata?.Origin, StringComparison.Ordinal);
        Assert.All(server.Requests.Skip(1), r => Assert.Null(r.Header(AwsProvider.TokenHeader)));
    }

    [Fact]
    public async Task A_GET_without_a_token_in_v2_only_mode_is_401_and_reported_without_the_token()
    {
        // A service that hands out a token and then rejects it (the token expired, or a proxy in between).
        await using var server = new TestHttpServer(request => request.Method == "PUT" ? TestResponse.Ok(Token) : new TestResponse(401, "Unauthorized"));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None));

        Assert.Contains("answered 401 Unauthorized", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.ToString(), StringComparison.Ordinal);
    }
}
