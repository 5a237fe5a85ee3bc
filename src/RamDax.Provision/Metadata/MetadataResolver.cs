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
    /// <summary>The budget of each probe when nothing says which cloud this is.</summary>
    public TimeSpan ProbeBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where an OpenStack config drive may be mounted under the root.</summary>
    public ImmutableArray<string> ConfigDriveMounts { get; init; } = OpenStackProvider.DefaultConfigDriveMounts;

    /// <summary>The outcome when metadata is deliberately not read (<c>--offline</c>).</summary>
    public static MetadataResolution Offline(MetadataSettings settings) =>
        new(new MetadataOutcome(settings.Source, null, null, ["--offline: instance metadata was not read; only the local configuration applies"]), [], []);

    /// <summary>
    /// Asks the sources and builds the layers. Throws <see cref="MetadataUnavailableException"/> when
    /// metadata is required and nothing answered, and <see cref="ConfigurationException"/> when the
    /// configuration a source carries is invalid (named by its source).
    /// </summary>
    public async Task<MetadataResolution> ResolveAsync(MetadataSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.Source == MetadataSource.None)
        {
            return new MetadataResolution(new MetadataOutcome(settings.Source, null, null, []), [], []);
        }

        var problems = new List<string>();
        var (source, metadata) = settings.Source == MetadataSource.Auto
            ? await AutoAsync(settings, problems, cancellationToken).ConfigureAwait(false)
            : await TryAsync(settings.Source, settings, probe: false, problems, cancellationToken).ConfigureAwait(false);

        if (metadata is null)
        {
            if (settings.Required)
            {
                throw new MetadataUnavailableException(problems);
            }

            var warning = "no instance metadata (" + string.Join("; ", problems) + "); going on with the local configuration only";
            return new MetadataResolution(new MetadataOutcome(settings.Source, null, null, [warning]), [], []);
        }

        var errors = new List<ConfigError>();
        var (metadataLayers, cloudInitLayers) = MetadataLayers.Build(metadata, errors);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return new MetadataResolution(new MetadataOutcome(settings.Source, source, metadata, [.. problems, .. metadata.Notes]), metadataLayers, cloudInitLayers);
    }

    private async Task<(MetadataSource?, InstanceMetadata?)> AutoAsync(MetadataSettings settings, List<string> problems, CancellationToken cancellationToken)
    {
        var cloudInit = new CloudInitProvider(root);
        if (cloudInit.IsPresent)
        {
            var (_, answer) = await TryAsync(MetadataSource.CloudInit, settings, probe: false, problems, cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                return (MetadataSource.CloudInit, await CompleteAsync(answer, settings, cancellationToken).ConfigureAwait(false));
            }
        }

        if (new NoCloudProvider(root).FindSeed() is not null)
        {
            var found = await TryAsync(MetadataSource.NoCloud, settings, probe: false, problems, cancellationToken).ConfigureAwait(false);
            if (found.Item2 is not null)
            {
                return found;
            }
        }

        var hint = CloudHint.Read(root);
        if (hint is null && OpenStackProvider.FindConfigDrive(root, ConfigDriveMounts) is not null)
        {
            hint = MetadataSource.OpenStack;
        }

        if (hint is { } cloud)
        {
            return await TryAsync(cloud, settings, probe: false, problems, cancellationToken).ConfigureAwait(false);
        }

        // Probing is how an unknown cloud is found: the sources that did not answer are no news then.
        var probeProblems = new List<string> { "no cloud-init data, no NoCloud seed, and the firmware names no known cloud" };
        foreach (var candidate in (MetadataSource[])[MetadataSource.Aws, MetadataSource.Azure, MetadataSource.Gce, MetadataSource.OpenStack])
        {
            var found = await TryAsync(candidate, settings, probe: true, probeProblems, cancellationToken).ConfigureAwait(false);
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
    private async Task<InstanceMetadata> CompleteAsync(InstanceMetadata cloudInit, MetadataSettings settings, CancellationToken cancellationToken)
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

        var problems = new List<string>();
        var (_, answer) = await TryAsync(service.Value, settings, probe: false, problems, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            var why = problems.Count == 0 ? "" : ": " + string.Join("; ", problems);
            return cloudInit with { Notes = cloudInit.Notes.Add($"the ramdax tag of {cloudInit.Cloud} could not be read{why}; cloud-init's configuration applies") };
        }

        return cloudInit.CompletedBy(answer);
    }

    private async Task<(MetadataSource?, InstanceMetadata?)> TryAsync(
        MetadataSource source, MetadataSettings settings, bool probe, List<string> problems, CancellationToken cancellationToken)
    {
        var options = (httpOptions ?? MetadataHttpOptions.Default(settings.Budget)) with { Budget = settings.Budget };
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
}
