using RamDax.Provision.Configuration.Document;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Turns the merged document into <see cref="ProvisionSettings"/>, checking every value and every
/// rule between values. All problems are collected, each with the place its value was written.
/// </summary>
public sealed partial class SettingsMapper
{
    private readonly LayeredConfiguration _configuration;
    private readonly List<ConfigError> _errors = [];
    private IReadOnlyList<string> _mountPrefixes = MountPathRules.BuiltInPrefixes;

    private SettingsMapper(LayeredConfiguration configuration) => _configuration = configuration;

    /// <summary>Maps and validates; throws <see cref="ConfigurationException"/> listing every error.</summary>
    public static ProvisionSettings Map(LayeredConfiguration configuration, IEnumerable<ConfigError>? earlierErrors = null)
    {
        var mapper = new SettingsMapper(configuration);
        mapper._errors.AddRange(earlierErrors ?? []);
        Document.ConfigDocument document;
        try
        {
            document = configuration.Bind();
        }
        catch (InvalidOperationException)
        {
            // The binder refuses a mapping or list where one value belongs (or the other way round).
            mapper._errors.Add(new ConfigError(null, null, "a value has the wrong shape: a mapping or list where a single value belongs, or the other way round"));
            throw new ConfigurationException(mapper._errors);
        }

        var settings = mapper.Map(document);
        if (mapper._errors.Count > 0)
        {
            throw new ConfigurationException(mapper._errors);
        }

        return settings;
    }

    private ProvisionSettings Map(ConfigDocument document)
    {
        var carveout = MapCarveout(document.Carveout ?? new CarveoutDocument());
        _mountPrefixes = MapMountPrefixes(Items(document.MountPrefixes));
        TrustPolicy.CheckNames("metadata_may_set", Items(document.MetadataMaySet), Error);
        var namespaces = MapNamespaces(document.Namespaces ?? [], carveout);
        var instance = document.Instance ?? new InstanceDocument();
        return new ProvisionSettings(
            carveout,
            namespaces,
            MapMetadata(document.Metadata ?? new MetadataDocument()),
            Enum("bootloader", document.Bootloader, BootloaderKind.Auto),
            Enum("reboot", document.Reboot, RebootMode.Auto),
            new InstanceSettings(Blank(instance.Id), Blank(instance.Type), Blank(instance.Cloud)))
        {
            MountPrefixes = [.. _mountPrefixes],
            Metrics = MapMetrics(document.Metrics ?? new MetricsDocument()),
        };
    }

    private MetricsSettings MapMetrics(MetricsDocument metrics)
    {
        if (metrics.Textfile is not { } path)
        {
            return MetricsSettings.Default;
        }

        var plain = MountPathRules.PlainPath(path, "the textfile path", MetricsSettings.DefaultTextfile, out var problem);
        problem ??= !plain!.EndsWith(".prom", StringComparison.Ordinal) ? $"'{path}' does not end in .prom, so node-exporter's textfile collector would not read it; like {MetricsSettings.DefaultTextfile}"
            : ((string[])["/proc", "/sys", "/dev", "/boot"]).Any(d => MountPathRules.Within(plain, d)) ? $"'{path}' is in a system directory; give a file in the textfile collector's directory, like {MetricsSettings.DefaultTextfile}"
            : null;
        if (problem is not null)
        {
            Error("metrics:textfile", problem);
            return MetricsSettings.Default;
        }

        return new MetricsSettings(plain!);
    }

    /// <summary>
    /// Maps only the <c>metadata:</c> settings: they must be known before metadata is fetched, from
    /// layers that may not be complete yet (a carve-out size that only a tag gives).
    /// </summary>
    public static MetadataSettings MapMetadata(LayeredConfiguration configuration, IEnumerable<ConfigError>? earlierErrors = null)
    {
        var mapper = new SettingsMapper(configuration);
        mapper._errors.AddRange(earlierErrors ?? []);
        var settings = mapper.MapMetadata(configuration.Bind().Metadata ?? new MetadataDocument());
        if (mapper._errors.Count > 0)
        {
            throw new ConfigurationException(mapper._errors);
        }

        return settings;
    }

    private MetadataSettings MapMetadata(MetadataDocument metadata) =>
        new(
            Enum("metadata:source", metadata.Source, MetadataSource.Auto),
            Endpoint("metadata:endpoint", metadata.Endpoint),
            Bool("metadata:required", metadata.Required, false),
            Duration("metadata:budget", metadata.Budget, TimeSpan.FromSeconds(30)),
            Bool("metadata:allow_imdsv1", metadata.AllowImdsv1, false));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private void Error(string key, string message) => _errors.Add(new ConfigError(Locate(key), key, message));

    // The position of the value, or of the nearest written key below or above it.
    private SourcePosition? Locate(string key)
    {
        if (_configuration.Where(key) is { } exact)
        {
            return exact;
        }

        var prefix = key + ConfigKey.Separator;
        var below = _configuration.Effective
            .Where(kv => kv.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv.Value.Position)
            .OrderBy(p => p.Line)
            .FirstOrDefault();
        return below;
    }
}
