using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Metadata.Http;
using RamDax.Provision.Metadata.Providers.Aws;
using RamDax.Provision.Metadata.Providers.Azure;
using RamDax.Provision.Metadata.Providers.CloudInit;
using RamDax.Provision.Metadata.Providers.Gce;
using RamDax.Provision.Metadata.Providers.NoCloud;
using RamDax.Provision.Metadata.Providers.OpenStack;

namespace RamDax.Provision.Metadata;

/// <summary>
/// Finds out who this instance is and what it was asked for: picks the sources
/// <c>metadata.source</c> names (or, for <c>auto</c>, cloud-init's files, a NoCloud seed, the
/// firmware's hint, then short probes), asks them in turn, and turns the first answer into
/// configuration layers. When nothing answers it says so and the agent goes on with the local
/// configuration, unless <c>metadata.required: true</c>.
/// Used by <c>plan</c> before the final configuration load; <c>apply</c> uses it the same way.
/// </summary>
/// <param name="root">The machine root every file is read under.</param>
/// <param name="httpOptions">Timeouts, back-off and clock; the budget always comes from the settings. Null: the defaults.</param>
/// <param name="endpointOverride">A base URL that wins over <c>metadata.endpoint</c> and the clouds' defaults.</param>
public sealed class MetadataResolver(MachineRoot root, MetadataHttpOptions? httpOptions = null, Uri? endpointOverride = null)
{
    /// <summary>The budget of each probe at a configured endpoint when nothing says which cloud this is.</summary>
    public TimeSpan ProbeBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where an OpenStack config drive may be mounted under the root.</summary>
    public ImmutableArray<string> ConfigDriveMounts { get; init; } = OpenStackProvider.DefaultConfigDriveMounts;

    /// <summary>
    /// Whether the root is the machine this runs on. Only then may <c>auto</c> ask a metadata
    /// service: under <c>--root DIR</c> (an image build) the service would describe the builder, so
    /// only files under DIR are read unless <c>metadata.source</c> names a service.
    /// </summary>
    public bool RootIsThisMachine { get; init; } = root.Path == "/";

    /// <summary>The outcome when metadata is deliberately not read (<c>--offline</c>).</summary>
    public static MetadataResolution Offline(MetadataSettings settings) =>
        new(new MetadataOutcome(settings.Source, null, null, ["--offline: instance metadata was not read; only the local configuration applies"]), [], []);

    /// <summary>
    /// Asks the sources and builds the layers, all within <c>metadata.budget</c>. Throws
    /// <see cref="MetadataUnavailableException"/> when metadata is required and nothing answered, and
    /// <see cref="ConfigurationException"/> when the configuration a source carries is invalid (named by its source).
    /// </summary>
    public async Task<MetadataResolution> ResolveAsync(MetadataSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.Source == MetadataSource.None)
        {
            return new MetadataResolution(new MetadataOutcome(settings.Source, null, null, []), [], []);
        }

        using var budget = new StepBudget(settings.Budget, httpOptions?.Time ?? TimeProvider.System, cancellationToken);
        var problems = new List<string>();
        var (source, metadata) = settings.Source == MetadataSource.Auto
            ? await AutoAsync(settings, budget, problems).ConfigureAwait(false)
            : await TryAsync(settings.Source, settings, budget, probe: false, problems).ConfigureAwait(false);

        if (metadata is null)
        {
            if (settings.Required)
            {
                throw new MetadataUnavailableException(problems);
            }

            var warning = "no instance metadata (" + string.Join("; ", problems) + "); going on with the local configuration only";
            return new MetadataResolution(new MetadataOutcome(settings.Source, null, null, [warning]), [], []);
        }

        var (metadataLayers, cloudInitLayers, warnings) = await BuildLayersAsync(metadata, budget.Remaining(), settings.Budget).ConfigureAwait(false);
        return new MetadataResolution(
            new MetadataOutcome(settings.Source, source, metadata, [.. problems, .. metadata.Notes, .. warnings]), metadataLayers, cloudInitLayers);
    }

    // The texts are bounded (UntrustedYaml) so reading them is linear; the wait still bounds it by
    // what is left of the budget, so that no text can hold up the boot past it.
    private static async Task<(ImmutableArray<ConfigLayer>, ImmutableArray<ConfigLayer>, List<string>)> BuildLayersAsync(
        InstanceMetadata metadata, TimeSpan remaining, TimeSpan budget)
    {
        var errors = new List<ConfigError>();
        var warnings = new List<string>();
        var build = Task.Run(() => MetadataLayers.Build(metadata, errors, warnings));
        var grace = TimeSpan.FromSeconds(1);
        try
        {
            await build.WaitAsync(remaining + grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var origins = string.Join(", ", metadata.Configurations.Select(c => c.Origin));
            throw new ConfigurationException([new ConfigError(new SourcePosition(origins), null,
                $"reading the configuration from metadata took longer than metadata.budget ({budget.TotalSeconds:0.#} s); refused, nothing was changed")]);
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        var (metadataLayers, cloudInitLayers) = build.Result;
        return (metadataLayers, cloudInitLayers, warnings);
    }

    // Like cloud-init's ds-identify: decide from what is on the machine (cloud-init's files, a NoCloud
    // seed or volume, the firmware's DMI strings, a config drive) which source to ask; a metadata
    // service is asked only when that evidence names its cloud, or when metadata.endpoint is set.
    private async Task<(MetadataSource?, InstanceMetadata?)> AutoAsync(MetadataSettings settings, StepBudget budget, List<string> problems)
    {
        var cloudInit = new CloudInitProvider(root);
        if (cloudInit.IsPresent)
        {
            var (_, answer) = await TryAsync(MetadataSource.CloudInit, settings, budget, probe: false, problems).ConfigureAwait(false);
            if (answer is not null)
            {
                return (MetadataSource.CloudInit, await CompleteAsync(answer, settings, budget).ConfigureAwait(false));
            }
        }

        if (new NoCloudProvider(root).FindSeed() is not null)
        {
            var found = await TryAsync(MetadataSource.NoCloud, settings, budget, probe: false, problems).ConfigureAwait(false);
            if (found.Item2 is not null)
            {
                return found;
            }
        }

        var evidence = CloudEvidence.Read(root, ConfigDriveMounts);
        if (evidence.Cloud is { } cloud and not MetadataSource.NoCloud)
        {
            if (!RootIsThisMachine && !evidence.IsLocalFile)
            {
                problems.Add($"{evidence.Reason} names {Name(cloud)}, but under --root {root.Path} its metadata service is not asked "
                    + "(it would describe the machine running this command); set metadata.source to ask it anyway");
                return (null, null);
            }

            return await TryAsync(cloud, settings, budget, probe: false, problems).ConfigureAwait(false);
        }

        if (evidence.Cloud == MetadataSource.NoCloud)
        {
            problems.Add($"{evidence.Reason}: cloud-init reads that volume; ramdax-provision reads a NoCloud seed only from {NoCloudProvider.SeedDirectory}");
            return (null, null);
        }

        if (settings.Endpoint is null)
        {
            problems.Add(RootIsThisMachine
                ? "no cloud found: no cloud-init data, no NoCloud seed or volume, no config drive, and the firmware names no known cloud; no metadata service was asked (set metadata.source or metadata.endpoint to ask one)"
                : $"no cloud-init data, NoCloud seed or config drive under --root {root.Path}");
            return (null, null);
        }

        // metadata.endpoint is set but nothing says which cloud serves it: ask each kind in turn, briefly.
        var probeProblems = new List<string> { $"nothing on the machine names a cloud; probing {MetadataEndpoint.Display(settings.Endpoint)}" };
        foreach (var candidate in (MetadataSource[])[MetadataSource.Aws, MetadataSource.Azure, MetadataSource.Gce, MetadataSource.OpenStack])
        {
            var found = await TryAsync(candidate, settings, budget, probe: true, probeProblems).ConfigureAwait(false);
            if (found.Item2 is not null)
            {
                return found;
            }
        }

        problems.AddRange(probeProblems);
        return (null, null);
    }

    // cloud-init does not carry the cloud's tags; when it says which cloud this is, ask that cloud's
    // service for them. Failing that only costs the tag: cloud-init's answer stands.
    private async Task<InstanceMetadata> CompleteAsync(InstanceMetadata cloudInit, MetadataSettings settings, StepBudget budget)
    {
        MetadataSource? service = cloudInit.Cloud switch
        {
            "aws" => MetadataSource.Aws,
            "azure" => MetadataSource.Azure,
            "gce" => MetadataSource.Gce,
            "openstack" => MetadataSource.OpenStack,
            _ => null,
        };
        if (service is null)
        {
            return cloudInit;
        }

        if (!RootIsThisMachine)
        {
            return cloudInit with { Notes = cloudInit.Notes.Add($"under --root {root.Path} the {cloudInit.Cloud} metadata service is not asked for the ramdax tag; cloud-init's files apply") };
        }

        var problems = new List<string>();
        var (_, answer) = await TryAsync(service.Value, settings, budget, probe: false, problems).ConfigureAwait(false);
        if (answer is null)
        {
            var why = problems.Count == 0 ? "" : ": " + string.Join("; ", problems);
            return cloudInit with { Notes = cloudInit.Notes.Add($"the ramdax tag of {cloudInit.Cloud} could not be read{why}; cloud-init's configuration applies") };
        }

        return cloudInit.CompletedBy(answer);
    }

    private async Task<(MetadataSource?, InstanceMetadata?)> TryAsync(
        MetadataSource source, MetadataSettings settings, StepBudget budget, bool probe, List<string> problems)
    {
        var cancellationToken = budget.Token;
        var left = budget.Remaining();
        if (left <= TimeSpan.Zero && source is not (MetadataSource.CloudInit or MetadataSource.NoCloud))
        {
            problems.Add($"{Name(source)}: not asked, metadata.budget ({settings.Budget.TotalSeconds:0.#} s) is spent");
            return (null, null);
        }

        var options = (httpOptions ?? MetadataHttpOptions.Default(settings.Budget)) with { Budget = left < settings.Budget ? left : settings.Budget };
        if (probe)
        {
            options = options.ForProbe(ProbeBudget);
        }

        using var http = new MetadataHttpClient(Name(source), endpointOverride ?? settings.Endpoint ?? DefaultEndpoint(source), options);
        IMetadataProvider provider = source switch
        {
            MetadataSource.CloudInit => new CloudInitProvider(root),
            MetadataSource.NoCloud => new NoCloudProvider(root),
            MetadataSource.Azure => new AzureProvider(http),
            MetadataSource.Aws => new AwsProvider(http, settings.AllowImdsV1),
            MetadataSource.Gce => new GceProvider(http),
            MetadataSource.OpenStack => new OpenStackProvider(root, http, ConfigDriveMounts),
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, "not a single metadata source"),
        };

        try
        {
            var answer = await provider.FetchAsync(cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                problems.Add($"{Name(source)}: not there");
                return (null, null);
            }

            return (source, answer);
        }
        catch (OperationCanceledException) when (budget.Expired)
        {
            problems.Add($"{Name(source)}: no answer from {MetadataEndpoint.Display(http.BaseUrl)} before metadata.budget ({settings.Budget.TotalSeconds:0.###} s) ran out; raise it if the service is slow to start");
            return (null, null);
        }
        catch (MetadataFetchException e)
        {
            problems.Add(e.Message);
            return (null, null);
        }
        catch (MachineReadException e)
        {
            problems.Add($"{Name(source)}: {e.Message}");
            return (null, null);
        }
    }

    private static Uri DefaultEndpoint(MetadataSource source) =>
        source == MetadataSource.Gce ? MetadataEndpoint.Google : MetadataEndpoint.LinkLocal;

    private static string Name(MetadataSource source) => source switch
    {
        MetadataSource.CloudInit => "cloud-init",
        _ => source.ToString().ToLowerInvariant(),
    };

    // metadata.budget bounds the whole step: every source, the tag after cloud-init, reading the texts.
    private sealed class StepBudget : IDisposable
    {
        private readonly TimeProvider _time;
        private readonly long _deadline;
        private readonly CancellationTokenSource _expiry;
        private readonly CancellationTokenSource _linked;
        private readonly CancellationToken _caller;

        public StepBudget(TimeSpan budget, TimeProvider time, CancellationToken caller)
        {
            _time = time;
            _caller = caller;
            _deadline = time.GetTimestamp() + (long)(budget.TotalSeconds * time.TimestampFrequency);
            // A CancellationTokenSource cannot wait longer than about 24 days; such a budget is no bound anyway.
            _expiry = budget < TimeSpan.FromDays(24) ? new CancellationTokenSource(budget, time) : new CancellationTokenSource();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _expiry.Token);
        }

        public CancellationToken Token => _linked.Token;

        public bool Expired => _expiry.IsCancellationRequested && !_caller.IsCancellationRequested;

        public TimeSpan Remaining() => TimeSpan.FromSeconds(Math.Max(0, _deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);

        public void Dispose()
        {
            _linked.Dispose();
            _expiry.Dispose();
        }
    }
}
