using Microsoft.Extensions.Time.Testing;
using RamDax.Provision.Metadata;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Tests.Metadata.Fakes;

namespace RamDax.Provision.Tests.Metadata.Http;

public sealed class MetadataHttpClientTests
{
    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    [Fact]
    public async Task A_burst_of_503_is_retried_until_the_service_answers()
    {
        var calls = 0;
        await using var server = new TestHttpServer(_ => Interlocked.Increment(ref calls) <= 3 ? new TestResponse(503, "starting") : TestResponse.Ok("4520031799277581759"));
        using var client = new MetadataHttpClient("gce", server.BaseUrl, Timing.Fast());

        var body = await client.GetTextAsync("/computeMetadata/v1/instance/id", NoHeaders, CancellationToken.None);

        Assert.Equal("4520031799277581759", body);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task A_429_is_retried()
    {
        var calls = 0;
        await using var server = new TestHttpServer(_ => Interlocked.Increment(ref calls) == 1 ? new TestResponse(429, "slow down") : TestResponse.Ok("ok"));
        using var client = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        Assert.Equal("ok", await client.GetTextAsync("/latest/meta-data/instance-id", NoHeaders, CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_404_means_absent_and_is_not_retried()
    {
        await using var server = new TestHttpServer(_ => TestResponse.NotFound());
        using var client = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        Assert.Null(await client.GetTextAsync("/latest/meta-data/tags/instance/ramdax", NoHeaders, CancellationToken.None));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Another_4xx_is_an_error_naming_the_source_and_the_request()
    {
        await using var server = new TestHttpServer(_ => new TestResponse(403, "no"));
        using var client = new MetadataHttpClient("gce", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => client.GetTextAsync("/computeMetadata/v1/instance/id", NoHeaders, CancellationToken.None));

        Assert.Equal("gce: GET /computeMetadata/v1/instance/id answered 403 Forbidden", e.Message);
    }

    [Fact]
    public async Task An_answer_slower_than_the_attempt_timeout_is_retried()
    {
        var calls = 0;
        await using var server = new TestHttpServer(async (_, stop) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromMinutes(1), stop);
            }

            return TestResponse.Ok("Standard_E16s_v5");
        });
        using var client = new MetadataHttpClient("azure", server.BaseUrl, Timing.Fast(attemptTimeout: TimeSpan.FromMilliseconds(200)));

        Assert.Equal("Standard_E16s_v5", await client.GetTextAsync("/metadata/instance", NoHeaders, CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_service_that_never_answers_runs_out_of_its_budget()
    {
        var time = new FakeTimeProvider();
        var received = new TaskCompletionSource();
        await using var server = new TestHttpServer(async (_, stop) =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, stop);
            return TestResponse.Ok("never");
        });
        var options = MetadataHttpOptions.Default(TimeSpan.FromSeconds(30)) with { Time = time };
        using var client = new MetadataHttpClient("azure", server.BaseUrl, options);

        var fetch = client.GetTextAsync("/metadata/instance", NoHeaders, CancellationToken.None);
        await received.Task;
        time.Advance(TimeSpan.FromSeconds(31));
        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => fetch);

        Assert.StartsWith($"azure: no answer from {server.BaseUrl.GetLeftPart(UriPartial.Authority)} within the budget of 30 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("raise metadata.budget", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_the_budget_and_then_named()
    {
        int port;
        await using (var gone = new TestHttpServer(_ => TestResponse.Ok("")))
        {
            port = gone.Port;
        }

        using var client = new MetadataHttpClient("openstack", new Uri($"http://127.0.0.1:{port}"), Timing.Fast(budget: TimeSpan.FromMilliseconds(300)));

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => client.GetTextAsync("/openstack/latest/meta_data.json", NoHeaders, CancellationToken.None));

        Assert.Contains("within the budget of 300 ms", e.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused()
    {
        await using var server = new TestHttpServer(_ => TestResponse.Ok(new string('x', MetadataHttpOptions.MaxBodyBytes + 1)));
        using var client = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => client.GetTextAsync("/latest/user-data", NoHeaders, CancellationToken.None));

        Assert.Equal("aws: the answer to /latest/user-data is larger than 1 MiB; refused", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_body_over_1_MiB_without_a_length_is_refused_while_reading()
    {
        await using var server = new TestHttpServer(_ => new TestResponse(200, new string('x', 2 * MetadataHttpOptions.MaxBodyBytes), StreamWithoutLength: true));
        using var client = new MetadataHttpClient("gce", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => client.GetTextAsync("/computeMetadata/v1/instance/attributes/user-data", NoHeaders, CancellationToken.None));

        Assert.Contains("larger than 1 MiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_refused()
    {
        await using var elsewhere = new TestHttpServer(_ => TestResponse.Ok("attacker's user-data"));
        var target = new Uri($"http://localhost:{elsewhere.Port}/latest/user-data");
        await using var server = new TestHttpServer(_ => new TestResponse(302, "", new Dictionary<string, string> { ["Location"] = target.ToString() }));
        using var client = new MetadataHttpClient("aws", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => client.GetTextAsync("/latest/user-data", NoHeaders, CancellationToken.None));

        Assert.Contains($"redirected to another host (http://localhost:{elsewhere.Port}); refused", e.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_redirect_on_the_same_host_is_followed_with_the_same_headers()
    {
        await using var server = new TestHttpServer(request => request.Path == "/old"
            ? new TestResponse(302, "", new Dictionary<string, string> { ["Location"] = "/new" })
            : TestResponse.Ok(request.Header("Metadata-Flavor") ?? "no header"));
        using var client = new MetadataHttpClient("gce", server.BaseUrl, Timing.Fast());

        Assert.Equal("Google", await client.GetTextAsync("/old", [new("Metadata-Flavor", "Google")], CancellationToken.None));
    }

    [Fact]
    public async Task Endless_redirects_are_refused()
    {
        await using var server = new TestHttpServer(request => new TestResponse(302, "", new Dictionary<string, string> { ["Location"] = request.Path + "x" }));
        using var client = new MetadataHttpClient("gce", server.BaseUrl, Timing.Fast());

        var e = await Assert.ThrowsAsync<MetadataFetchException>(() => client.GetTextAsync("/a", NoHeaders, CancellationToken.None));

        Assert.Contains($"redirected more than {MetadataHttpOptions.MaxRedirects} times", e.Message, StringComparison.Ordinal);
        Assert.Equal(MetadataHttpOptions.MaxRedirects + 1, server.Requests.Count);
    }

    [Theory]
    [InlineData("http://169.254.169.254", true)]
    [InlineData("http://metadata.google.internal", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://[fe80::a9fe:a9fe]", true)]
    [InlineData("http://10.0.0.5", false)]
    [InlineData("http://metadata.example.com", false)]
    public void Link_local_and_loopback_services_never_go_through_a_proxy(string url, bool direct) =>
        Assert.Equal(direct, MetadataEndpoint.BypassesProxy(new Uri(url)));
}
