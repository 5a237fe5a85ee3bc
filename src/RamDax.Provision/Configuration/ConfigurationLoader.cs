using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Gathers the configuration layers in order, later winning: built-in defaults (in
/// <see cref="SettingsMapper"/>); <c>/etc/ramdax-provision/config.yaml</c>; <c>config.d/*.yaml</c> in
/// name order; the instance-type profile; metadata; cloud-init's <c>ramdax:</c> key; the
/// environment (<c>RAMDAX_PROVISION__SECTION__KEY</c>); <c>--config</c> files; <c>--set</c>.
/// </summary>
public static class ConfigurationLoader
{
    public const string ImageDirectory = "/etc/ramdax-provision";
    public const string EnvironmentPrefix = "RAMDAX_PROVISION__";

    public static LoadedConfiguration Load(ConfigurationRequest request)
    {
        var local = request.Local ?? Read(request);
        var errors = new List<ConfigError>(local.Errors);
        var image = local.Image;
        var later = new List<ConfigLayer>();
        later.AddRange(request.MetadataLayers);
        later.AddRange(request.CloudInitLayers);
        later.Add(local.Environment);
        later.AddRange(local.ConfigFiles);
        later.Add(local.Sets);

        var layers = image.Concat(later).ToList();
        foreach (var layer in layers)
        {
            ConfigSchema.CheckKeys(layer, errors);
        }

        TrustPolicy.Check(image, request.MetadataLayers.Concat(request.CloudInitLayers), errors);

        var merged = LayeredConfiguration.Merge(layers);
        var profile = SelectProfile(merged);
        if (profile is not null)
        {
            // The profile sits just above the image files, so metadata and the command line still win.
            var profileLayer = merged.Subtree($"profiles:{profile}", $"profile '{profile}'");
            merged = LayeredConfiguration.Merge(image.Append(profileLayer).Concat(later));
        }

        ProfileValidation.AddErrors(merged, image, later, profile, errors);
        var settings = SettingsMapper.Map(merged, errors);
        return new LoadedConfiguration(merged, settings, profile) { MetadataMaySet = TrustPolicy.AllowedFromMetadata(image) };
    }

    /// <summary>
    /// The <c>metadata:</c> settings from the local layers alone (image files, environment,
    /// <c>--config</c>, <c>--set</c>): what the metadata step needs before it can fetch the rest.
    /// Errors in those layers stop here, before anything is fetched.
    /// </summary>
    public static MetadataSettings LoadMetadataSettings(ConfigurationRequest request)
    {
        var local = request.Local ?? Read(request);
        var errors = new List<ConfigError>(local.Errors);
        List<ConfigLayer> layers = [.. local.Image, local.Environment, .. local.ConfigFiles, local.Sets];
        return SettingsMapper.MapMetadata(LayeredConfiguration.Merge(layers), errors);
    }

    /// <summary>The request with its local layers read, so that every later load of this run uses them instead of the files.</summary>
    public static ConfigurationRequest ReadLocal(ConfigurationRequest request) =>
        request.Local is null ? request with { Local = Read(request) } : request;

    private static LocalLayers Read(ConfigurationRequest request)
    {
        var errors = new List<ConfigError>();
        var image = ReadImageLayers(request, errors);
        var environment = ConfigLayer.FromPairs("environment", request.Environment ?? ReadEnvironment());
        var files = request.ConfigFiles.Select(f => ReadFile(f, f, errors)).ToImmutableArray();
        var sets = ReadSets(request.Sets, errors);
        return new LocalLayers([.. image], environment, files, sets, [.. errors]);
    }

    /// <summary>Reads one file as a layer: a <c>#cloud-config</c> document contributes its config.d <c>write_files:</c> entries and its <c>ramdax:</c> key.</summary>
    public static ConfigLayer ReadFile(string path, string layerName, ICollection<ConfigError> errors, ICollection<string>? warnings = null)
    {
        string text;
        try
        {
            text = Files.BoundedFile.ReadText(path, YamlLayerReader.MaxDocumentBytes);
        }
        catch (Files.UnreadableFileException e)
        {
            errors.Add(new ConfigError(new SourcePosition(layerName), null, $"cannot read the file: {e.Reason}"));
            return ConfigLayer.Empty(layerName);
        }

        return CloudConfigReader.IsCloudConfig(text)
            ? CloudConfigReader.Read(text, layerName, errors, warnings)
            : YamlLayerReader.Read(text, layerName, errors);
    }

    private static List<ConfigLayer> ReadImageLayers(ConfigurationRequest request, List<ConfigError> errors)
    {
        var layers = new List<ConfigLayer>();
        var main = $"{ImageDirectory}/config.yaml";
        if (request.Root.Exists(main))
        {
            layers.Add(ReadFile(request.Root.ResolveForRead(main), main, errors));
        }

        var dropIns = $"{ImageDirectory}/config.d";
        if (request.Root.DirectoryExists(dropIns))
        {
            foreach (var name in request.Root.ListNames(dropIns).Where(n => n.EndsWith(".yaml", StringComparison.Ordinal) || n.EndsWith(".yml", StringComparison.Ordinal)))
            {
                var path = $"{dropIns}/{name}";
                layers.Add(ReadFile(request.Root.ResolveForRead(path), path, errors));
            }
        }

        return layers;
    }

    private static List<KeyValuePair<string, string?>> ReadEnvironment() =>
        [.. new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).Build().AsEnumerable().Where(kv => kv.Value is not null)];

    private static ConfigLayer ReadSets(ImmutableArray<string> sets, List<ConfigError> errors)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var set in sets)
        {
            var equals = set.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add(new ConfigError(new SourcePosition("--set"), null, $"'{set}' is not key=value; write it like --set carveout.size=64G"));
                continue;
            }

            var value = set[(equals + 1)..];
            pairs.Add(new(ConfigKey.FromDisplay(set[..equals].Trim()), value.Length == 0 ? null : value));
        }

        return ConfigLayer.FromPairs("--set", pairs);
    }

    // An exact instance-type key wins; otherwise the first glob ('*', '?') in name order.
    private static string? SelectProfile(LayeredConfiguration merged)
    {
        var type = merged["instance:type"];
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var names = merged.Effective.Keys
            .Select(k => k.Split(ConfigKey.Separator))
            .Where(p => p.Length > 2 && ConfigKey.Comparer.Equals(p[0], "profiles"))
            .Select(p => p[1])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return names.FirstOrDefault(n => string.Equals(n, type, StringComparison.OrdinalIgnoreCase))
            ?? names.FirstOrDefault(n => (n.Contains('*', StringComparison.Ordinal) || n.Contains('?', StringComparison.Ordinal)) && Glob(n, type));
    }

    private static bool Glob(string pattern, string text) =>
        System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, text, ignoreCase: true);
}
