using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using RamDax.Provision.Configuration.Document;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Turns the merged document into <see cref="ProvisionSettings"/>, checking every value and every
/// rule between values. All problems are collected, each with the place its value was written.
/// </summary>
public sealed partial class SettingsMapper
{
    private const ulong MinAlignment = 16 * ByteSize.MiB;
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

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
        _mountPrefixes = MapMountPrefixes(document.MountPrefixes ?? []);
        TrustPolicy.CheckNames("metadata_may_set", document.MetadataMaySet ?? [], Error);
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
        };
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

    private CarveoutSettings MapCarveout(CarveoutDocument doc)
    {
        var placement = doc.Placement ?? new PlacementDocument();
        var alignment = Size("carveout:alignment", doc.Alignment, ByteSize.GiB);
        if (alignment < MinAlignment || (alignment & (alignment - 1)) != 0)
        {
            Error("carveout:alignment", $"must be a power of two of at least 16M (ndctl's region alignment), not {ByteSize.FormatExact(alignment)}");
            alignment = ByteSize.GiB;
        }

        SizeRequest? size = null;
        if (doc.Size is not null)
        {
            size = SizeRequest.TryParse(doc.Size, allowRest: false, out var error);
            if (size is null)
            {
                Error("carveout:size", error!);
            }
            else if (size is SizeRequest.Absolute a && a.Bytes % alignment != 0)
            {
                Error("carveout:size", $"{doc.Size} is not a multiple of carveout.alignment ({ByteSize.FormatExact(alignment)}); "
                    + $"use {ByteSize.FormatExact(ByteSize.AlignDown(a.Bytes, alignment))} or {ByteSize.FormatExact(ByteSize.AlignUp(a.Bytes, alignment) ?? a.Bytes)}");
            }
        }

        var maxRanges = Int("carveout:max_ranges", doc.MaxRanges, 4);
        if (maxRanges is < 1 or > 32)
        {
            Error("carveout:max_ranges", $"must be between 1 and 32, not {maxRanges}");
        }

        return new CarveoutSettings(
            size,
            Size("carveout:min_os_memory", doc.MinOsMemory, 2 * ByteSize.GiB),
            alignment,
            Size("carveout:placement:min_address", placement.MinAddress, 4 * ByteSize.GiB),
            Enum("carveout:placement:order", placement.Order, PlacementOrder.HighestFirst),
            Word("carveout:placement:numa", placement.Numa, "none", "none", "spread") == "spread",
            maxRanges,
            Bool("carveout:adopt_foreign_pmem", doc.AdoptForeignPmem, false));
    }

    private ImmutableArray<NamespaceSettings> MapNamespaces(List<NamespaceDocument> docs, CarveoutSettings carveout)
    {
        var result = ImmutableArray.CreateBuilder<NamespaceSettings>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < docs.Count; i++)
        {
            var doc = docs[i];
            var key = $"namespaces:{i.ToString(CultureInfo.InvariantCulture)}";
            var name = doc.Name;
            if (string.IsNullOrWhiteSpace(name))
            {
                Error(key, "every namespace needs a name");
                name = $"namespace{i}";
            }
            else if (NamespaceRules.NameProblem(name) is { } nameProblem)
            {
                Error($"{key}:name", nameProblem);
            }
            else if (names.TryGetValue(name, out var first))
            {
                Error($"{key}:name", $"'{name}' is also the name of {ConfigKey.Display(first)}; names must be unique");
            }
            else
            {
                names[name] = key;
            }

            var mode = Enum($"{key}:mode", doc.Mode, NamespaceMode.Fsdax);
            SizeRequest size = new SizeRequest.Rest();
            if (doc.Size is null)
            {
                Error(key, "every namespace needs a size (like 16G, 25% or rest)");
            }
            else
            {
                var parsed = SizeRequest.TryParse(doc.Size, allowRest: true, out var error);
                if (parsed is null)
                {
                    Error($"{key}:size", error!);
                }
                else
                {
                    size = parsed;
                }
            }

            var alignment = Size($"{key}:alignment", doc.Alignment, 2 * ByteSize.MiB);
            if (NamespaceRules.AlignmentProblem(alignment) is { } alignmentProblem)
            {
                Error($"{key}:alignment", alignmentProblem);
            }
            else if (alignment > carveout.Alignment)
            {
                Error($"{key}:alignment", $"{ByteSize.FormatExact(alignment)} needs carveout.alignment of at least {ByteSize.FormatExact(alignment)} so the namespace can start on it");
            }

            if (size is SizeRequest.Absolute a && alignment == ByteSize.GiB && a.Bytes < 2 * ByteSize.GiB)
            {
                Error($"{key}:size", "a 1G-aligned namespace needs at least 2G: its info block takes the first 1G step");
            }

            FilesystemSettings? filesystem = null;
            MountSettings? mount = null;
            DeviceAccessSettings? device = null;
            if (mode == NamespaceMode.Fsdax)
            {
                if (doc.Device is not null)
                {
                    Error($"{key}:device", "device settings are for devdax namespaces; an fsdax namespace has filesystem and mount");
                }

                filesystem = MapFilesystem($"{key}:filesystem", doc.Filesystem ?? new FilesystemDocument(), name);
                mount = MapMount($"{key}:mount", doc.Mount ?? new MountDocument(), name, paths);
            }
            else
            {
                if (doc.Filesystem is not null || doc.Mount is not null)
                {
                    Error(doc.Filesystem is not null ? $"{key}:filesystem" : $"{key}:mount", "a devdax namespace is a character device: it has no filesystem or mount; use mode: fsdax");
                }

                var access = doc.Device ?? new DeviceDocument();
                device = new DeviceAccessSettings(
                    Account($"{key}:device:owner", access.Owner, "root"),
                    Account($"{key}:device:group", access.Group, "root"),
                    FileMode($"{key}:device:mode", access.Mode, "0600"));
            }

            result.Add(new NamespaceSettings(name, mode, size, alignment, filesystem, mount, device,
                Bool($"{key}:wipe", doc.Wipe, false), Bool($"{key}:reconfigure", doc.Reconfigure, false)));
        }

        // A mount inside another would be hidden, or hide it, depending on which came up first.
        foreach (var (inner, innerKey) in paths)
        {
            if (paths.FirstOrDefault(p => p.Key != inner && MountPathRules.Within(inner, p.Key)) is { Key: not null } outer)
            {
                Error($"{innerKey}:path", $"'{inner}' is inside the mount path of {ConfigKey.Display(outer.Value.Replace(":mount", "", StringComparison.Ordinal))} ({outer.Key}); "
                    + "nested mounts are not supported, give each namespace a directory of its own");
            }
        }

        if (carveout.Size is null && docs.Count > 0 && _configuration["carveout:size"] is null)
        {
            Error("namespaces", "namespaces are configured but no carve-out holds them; set carveout.size (like 64G or 25%)");
        }

        return result.ToImmutable();
    }

    private FilesystemSettings MapFilesystem(string key, FilesystemDocument doc, string name)
    {
        var type = Enum($"{key}:type", doc.Type, FilesystemType.Ext4);
        var label = doc.Label ?? name;
        // A name already refused is not refused again as a label; a name too long for a label is reported at the name.
        if ((doc.Label is not null || NamespaceRules.NameProblem(name) is null) && NamespaceRules.LabelProblem(type, label) is { } labelProblem)
        {
            Error(doc.Label is null ? key.Replace(":filesystem", ":name", StringComparison.Ordinal) : $"{key}:label", labelProblem);
        }

        var options = (doc.MkfsOptions ?? []).ToImmutableArray();
        foreach (var (index, message) in MkfsOptionRules.Check(type, options))
        {
            Error($"{key}:mkfs_options:{index.ToString(CultureInfo.InvariantCulture)}", message);
        }

        return new FilesystemSettings(type, label, options);
    }

    private MountSettings MapMount(string key, MountDocument doc, string name, Dictionary<string, string> paths)
    {
        var written = doc.Path ?? $"/mnt/ramdax/{name}";
        var path = MountPathRules.Check(written, _mountPrefixes, out var pathError);
        if (path is null)
        {
            Error($"{key}:path", pathError!);
            path = written;
        }
        else if (paths.TryGetValue(path, out var first))
        {
            Error($"{key}:path", $"'{written}' is also the mount path of {ConfigKey.Display(first)}; mount paths must be unique");
        }
        else
        {
            paths[path] = key;
        }

        var options = (doc.Options ?? []).ToImmutableArray();
        for (var i = 0; i < options.Length; i++)
        {
            if (NamespaceRules.MountOptionProblem(options[i]) is { } problem)
            {
                Error($"{key}:options:{i.ToString(CultureInfo.InvariantCulture)}", problem);
            }
        }

        return new MountSettings(path, options,
            Account($"{key}:owner", doc.Owner, "root"), Account($"{key}:group", doc.Group, "root"), FileMode($"{key}:mode", doc.Mode, "0755"));
    }

    private ulong Size(string key, string? text, ulong fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        var bytes = ByteSize.TryParse(text, out var error);
        if (bytes is null)
        {
            Error(key, error!);
            return fallback;
        }

        return bytes.Value;
    }

    private int Int(string key, string? text, int fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            Error(key, $"'{text}' is not a whole number");
            return fallback;
        }

        return value;
    }

    private bool Bool(string key, string? text, bool fallback)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null:
                return fallback;
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                Error(key, $"'{text}' is not true or false");
                return fallback;
        }
    }

    private TimeSpan Duration(string key, string? text, TimeSpan fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            Error(key, $"'{text}' is not a duration; write it like 30s, 500ms or 2m");
            return fallback;
        }

        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = match.Groups[2].Value switch
        {
            "ms" => number / 1000,
            "m" => number * 60,
            _ => number,
        };
        if (seconds > MaxDuration.TotalSeconds)
        {
            Error(key, $"'{text}' is longer than {MaxDuration.TotalMinutes:0} minutes; a first boot cannot wait that long for metadata");
            return fallback;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private T Enum<T>(string key, string? text, T fallback)
        where T : struct, System.Enum
    {
        if (text is null)
        {
            return fallback;
        }

        // One word only: Enum.TryParse also reads numbers and flag lists ("grub, bls").
        var normalized = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (normalized.Length > 0 && normalized.All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetter(normalized[0])
            && System.Enum.TryParse<T>(normalized, ignoreCase: true, out var value))
        {
            return value;
        }

        Error(key, $"'{text}' is not one of: {string.Join(", ", EnumWords.All<T>())}");
        return fallback;
    }

    private string Word(string key, string? text, string fallback, params string[] allowed)
    {
        if (text is null)
        {
            return fallback;
        }

        if (allowed.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return text.Trim().ToLowerInvariant();
        }

        Error(key, $"'{text}' is not one of: {string.Join(", ", allowed)}");
        return fallback;
    }

    private Uri? Endpoint(string key, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Error(key, $"'{UrlRedaction.Redact(text)}' is not an http:// or https:// URL");
            return null;
        }

        return uri;
    }

    private string Account(string key, string? text, string fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (NamespaceRules.AccountProblem(text) is { } problem)
        {
            Error(key, problem);
        }

        return text;
    }

    private string FileMode(string key, string? text, string fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (NamespaceRules.ModeProblem(text) is { } problem)
        {
            Error(key, problem);
        }

        return text.Length == 3 ? "0" + text : text;
    }

    private List<string> MapMountPrefixes(List<string> prefixes)
    {
        var result = new List<string>(MountPathRules.BuiltInPrefixes);
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (MountPathRules.CheckPrefix(prefixes[i]) is { } problem)
            {
                Error($"mount_prefixes:{i.ToString(CultureInfo.InvariantCulture)}", problem);
            }
            else
            {
                result.Add(prefixes[i].Length > 1 ? prefixes[i].TrimEnd('/') : prefixes[i]);
            }
        }

        return result;
    }

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

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$")]
    private static partial Regex DurationPattern();

}
