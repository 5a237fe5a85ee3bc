using System.Net;
using System.Text;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace RamDax.Provision.Metadata.Http;

/// <summary>
/// The one HTTP client every metadata source uses. It retries timeouts, connection errors, 429 and
/// 5xx with exponential back-off and jitter, all within one total budget for the source; 404 means
/// absent. It never uses a proxy for link-local addresses, follows redirects only on the same host,
/// refuses bodies over 1 MiB, and never puts header values or bodies into its messages.
/// </summary>
public sealed class MetadataHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<MetadataResponse> _pipeline;
    private readonly MetadataHttpOptions _options;
    private readonly string _source;
    private CancellationTokenSource? _budget;
    private string? _lastProblem;

    /// <param name="source">The source's name for messages (<c>aws</c>).</param>
    /// <param name="baseUrl">The service's base URL (<c>metadata.endpoint</c>, or the cloud's default).</param>
    /// <param name="options">Budget, timeouts, back-off and clock.</param>
    public MetadataHttpClient(string source, Uri baseUrl, MetadataHttpOptions options)
    {
        _source = source;
        BaseUrl = baseUrl;
        _options = options;
        var handler = new SocketsHttpHandler
        {
            UseProxy = !MetadataEndpoint.BypassesProxy(baseUrl),
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.AttemptTimeout,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = new ResiliencePipelineBuilder<MetadataResponse> { TimeProvider = options.Time }
            .AddRetry(new RetryStrategyOptions<MetadataResponse>
            {
                ShouldHandle = new PredicateBuilder<MetadataResponse>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .HandleResult(r => r.Status == 429 || r.Status >= 500),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    _lastProblem = args.Outcome.Exception is { } e ? Describe(e) : args.Outcome.Result?.ToString();
                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public Uri BaseUrl { get; }

    /// <summary>GETs <paramref name="path"/>: its body, or null when the service says 404 (absent).</summary>
    public async Task<string?> GetTextAsync(string path, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, path, headers, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }

        if (!response.IsSuccess)
        {
            throw new MetadataFetchException($"{_source}: GET {path} answered {response}");
        }

        return response.Body;
    }

    /// <summary>
    /// Sends one request, retrying within the budget, and follows same-host redirects. Any final status
    /// (including 4xx) is returned for the caller to judge; the budget running out throws.
    /// </summary>
    public async Task<MetadataResponse> SendAsync(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        // A value with CR or LF would end the header and start another (a hostile token could add its own).
        foreach (var (name, value) in headers)
        {
            if (HasControlCharacter(name) || HasControlCharacter(value))
            {
                throw new MetadataFetchException($"{_source}: the {name.Trim()} header of {method} {path} would carry a control character; refused, nothing was sent");
            }
        }

        // One budget for the whole source: it starts with the first request.
        _budget ??= CreateBudget();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _budget.Token);
        var url = new Uri(BaseUrl, path);
        for (var redirects = 0; ; redirects++)
        {
            MetadataResponse response;
            try
            {
                var target = url;
                response = await _pipeline.ExecuteAsync(
                    async token => await SendOnceAsync(method, target, headers, token).ConfigureAwait(false),
                    linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new MetadataFetchException(
                    $"{_source}: no answer from {MetadataEndpoint.Display(BaseUrl)} within the budget of {Seconds(_options.Budget)}"
                    + $" (last problem: {_lastProblem ?? "no answer yet"}); raise metadata.budget if the service is slow to start");
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException)
            {
                throw new MetadataFetchException($"{_source}: {method} {url.PathAndQuery} failed: {Describe(e)}", e);
            }

            if (!response.IsRedirect)
            {
                return response;
            }

            var next = new Uri(url, response.Location!);
            if (!MetadataEndpoint.SameService(url, next))
            {
                throw new MetadataFetchException(
                    $"{_source}: {method} {url.PathAndQuery} redirected to another host ({MetadataEndpoint.Display(next)}); refused, a metadata service never does that");
            }

            if (redirects >= MetadataHttpOptions.MaxRedirects)
            {
                throw new MetadataFetchException($"{_source}: {method} {url.PathAndQuery} redirected more than {MetadataHttpOptions.MaxRedirects} times; refused");
            }

            url = next;
        }
    }

    public void Dispose()
    {
        _budget?.Dispose();
        _http.Dispose();
    }

    private CancellationTokenSource CreateBudget() => new(_options.Budget, _options.Time);

    private async ValueTask<MetadataResponse> SendOnceAsync(HttpMethod method, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken token)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent([]);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentLength > MetadataHttpOptions.MaxBodyBytes)
        {
            throw TooLarge(url);
        }

        var body = await ReadBoundedAsync(response.Content, url, token).ConfigureAwait(false);
        var received = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        return new MetadataResponse(status, response.ReasonPhrase ?? ((HttpStatusCode)status).ToString(), response.Headers.Location, body, received);
    }

    private async Task<string> ReadBoundedAsync(HttpContent content, Uri url, CancellationToken token)
    {
        var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MetadataHttpOptions.MaxBodyBytes)
                {
                    throw TooLarge(url);
                }

                buffer.Write(chunk, 0, read);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private MetadataFetchException TooLarge(Uri url) =>
        new($"{_source}: the answer to {url.PathAndQuery} is larger than {MetadataHttpOptions.MaxBodyBytes / 1024 / 1024} MiB; refused");

    private string Describe(Exception e) => e switch
    {
        TimeoutRejectedException => $"no answer within {Seconds(_options.AttemptTimeout)}",
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => e.Message,
    };

    /// <summary>Whether <paramref name="text"/> holds a character no header may carry (C0 controls, DEL).</summary>
    public static bool HasControlCharacter(string text) => text.Any(c => c < ' ' || c == '\x7f');

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMilliseconds:0} ms";

}
