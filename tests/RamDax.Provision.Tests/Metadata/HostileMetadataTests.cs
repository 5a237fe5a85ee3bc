using System.Text;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Metadata.Providers.Aws;
using RamDax.Provision.Metadata.Providers.Gce;
using RamDax.Provision.Tests.Metadata.Fakes;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Metadata;

/// <summary>
/// Metadata services that lie, against the real HTTP stack on 127.0.0.1: tokens that would inject
/// headers, a GCE impostor, YAML and base64 bombs in tags. Every case ends in a clear refusal
/// within the budget, never a crash, a hang or a header sent.
/// </summary>
public sealed class HostileMetadataTests
{
    private static MetadataSettings Settings(MetadataSource source, TimeSpan? budget = null) =>
        new(source, null, Required: false, budget ?? TimeSpan.FromSeconds(4), AllowImdsV1: false);

    [Theory]
    [InlineData("token\r\nX-Injected: 1")]
    [InlineData("token\nX-Injected: 1")]
    [InlineData("tok\0en")]
    [InlineData("tok en")]
    public async Task An_AWS_token_with_control_characters_is_refused_and_never_sent_back(string token)
    {
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge"), token));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None));

        Assert.Contains("is not an IMDSv2 token", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", e.Message, StringComparison.Ordinal);
        var only = Assert.Single(server.Requests);
        Assert.Equal("PUT", only.Method);
    }

    [Fact]
    public async Task An_AWS_token_longer_than_any_real_one_is_refused()
    {
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge"), new string('A', AwsProvider.MaxTokenLength + 1)));
        using var http = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        await Assert.ThrowsAsync<MetadataFetchException>(() => new AwsProvider(http, allowImdsV1: false).FetchAsync(CancellationToken.None));
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("value\r\nX-Injected: 1")]
    [InlineData("value\u007f")]
    [InlineData("va\tlue")]
    public async Task No_header_value_with_a_control_character_is_ever_sent(string value)
    {
        await using var server = new TestHttpServer(_ => TestResponse.Ok("fine"));
        using var http = new MetadataHttpClient("test", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => http.SendAsync(HttpMethod.Get, "/x", [new("X-Test", value)], CancellationToken.None));

        Assert.Contains("control character; refused, nothing was sent", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_GCE_answer_without_the_Metadata_Flavor_response_header_is_refused()
    {
        var real = FakeClouds.Gce(new Dictionary<string, string>());
        await using var impostor = new TestHttpServer(request => real(request) with { Headers = null });
        using var http = new MetadataHttpClient("gce", impostor.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => new GceProvider(http).FetchAsync(CancellationToken.None));

        Assert.Contains("lacks the response header Metadata-Flavor: Google", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_GCE_answer_with_another_flavor_is_refused()
    {
        var real = FakeClouds.Gce(new Dictionary<string, string>());
        await using var impostor = new TestHttpServer(request => real(request) with { Headers = new Dictionary<string, string> { ["Metadata-Flavor"] = "Proxy" } });
        using var http = new MetadataHttpClient("gce", impostor.BaseUrl, Timing.Fast());

        await Assert.ThrowsAsync<MetadataFetchException>(() => new GceProvider(http).FetchAsync(CancellationToken.None));
    }

    public static TheoryData<string, string> Bombs()
    {
        var laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 9; i++)
        {
            laughs.Append((char)('b' + i)).Append(": &").Append((char)('b' + i)).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat("*" + (char)('a' + i), 9))).Append("]\n");
        }

        var deep = new string('[', 50_000) + new string(']', 50_000);
        var deepMap = string.Concat(Enumerable.Repeat("{a: ", 20_000)) + "1" + new string('}', 20_000);
        return new TheoryData<string, string>
        {
            { laughs.ToString(), "aliases" },
            { deep, "nested deeper than" },
            { deepMap, "nested deeper than" },
            { Convert.ToBase64String(Encoding.UTF8.GetBytes(deep)), "nested deeper than" },
            { "carveout: {size: 1G}\nx: " + new string('x', UntrustedYaml.MaxCharacters), "characters, more than" },
        };
    }

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task A_YAML_or_base64_bomb_in_a_tag_is_refused_within_the_budget(string tag, string expected)
    {
        using var root = new TempRoot();
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge", tag), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => resolver.ResolveAsync(Settings(MetadataSource.Aws)));

        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
        var error = Assert.Single(e.Errors);
        Assert.Equal("aws tag 'ramdax'", error.Position?.Layer);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bomb_in_user_data_is_refused_naming_the_user_data()
    {
        using var root = new TempRoot();
        var userData = "#cloud-config\nramdax: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        await using var server = new TestHttpServer(FakeClouds.Aws(FakeClouds.AwsInstance("r7i.2xlarge", userData: userData), "token"));
        var resolver = new MetadataResolver(root.Root, Timing.Fast(), server.BaseUrl);

        // A budget that a loaded machine does not run out of: this test is about the error's place, not its time.
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => resolver.ResolveAsync(Settings(MetadataSource.Aws, TimeSpan.FromSeconds(60))));

        Assert.Equal("aws user-data", Assert.Single(e.Errors).Position?.Layer);
    }
}
