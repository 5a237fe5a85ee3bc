using System.Collections.Immutable;
using RamDax.Provision.Configuration;

namespace RamDax.Provision.Metadata;

/// <summary>
/// Turns an <see cref="InstanceMetadata"/> into configuration layers. Pure: text in, layers and
/// errors out. The identity becomes an <c>instance:</c> layer (weakest of the metadata layers, so
/// the environment and <c>--set instance.type=...</c> still win); tags and user-data become
/// metadata layers; cloud-init's merged <c>ramdax:</c> key becomes the stronger cloud-init layer.
/// </summary>
public static class MetadataLayers
{
    /// <summary>
    /// Builds the layers; problems in the texts are added to <paramref name="errors"/>, named by their
    /// origin, and things a person should change (the old <c>ramdax:</c> key) to <paramref name="warnings"/>.
    /// </summary>
    public static (ImmutableArray<ConfigLayer> Metadata, ImmutableArray<ConfigLayer> CloudInit) Build(
        InstanceMetadata metadata, ICollection<ConfigError> errors, ICollection<string>? warnings = null)
    {
        var identity = new List<KeyValuePair<string, string?>>();
        Add(identity, "instance:id", metadata.Id);
        Add(identity, "instance:type", metadata.Type);
        Add(identity, "instance:cloud", metadata.Cloud);

        var layers = new List<ConfigLayer> { ConfigLayer.FromPairs(metadata.Origin, identity) };
        var cloudInit = new List<ConfigLayer>();
        foreach (var configuration in metadata.Configurations)
        {
            var layer = configuration.Kind switch
            {
                MetadataConfigurationKind.Tag => ReadBounded(ConfigurationText.DecodeTag(configuration.Text), configuration.Origin, errors),
                MetadataConfigurationKind.UserData => CloudConfigReader.IsCloudConfig(configuration.Text)
                    ? CloudConfigReader.Read(configuration.Text, configuration.Origin, errors, warnings)
                    : null, // a script or MIME archive: not for this agent
                // cloud-init has written the drop-ins of its own cloud-config already; only the old key is left to read.
                MetadataConfigurationKind.CloudInitCloudConfig => CloudConfigReader.Read(configuration.Text, configuration.Origin, errors, warnings, dropIns: false),
                _ => ReadMerged(configuration, errors, warnings),
            };
            if (layer is null || layer.Values.IsEmpty)
            {
                continue;
            }

            if (layer.Values.Keys.FirstOrDefault(k => ConfigKey.Comparer.Equals(k.Split(ConfigKey.Separator)[0], "metadata")) is { } key)
            {
                errors.Add(new ConfigError(layer.Values[key].Position, key,
                    "metadata settings cannot come from metadata itself; set them in /etc/ramdax-provision, the environment or on the command line"));
                layer = layer.Without("metadata");
            }

            (configuration.Kind is MetadataConfigurationKind.CloudInitMerged or MetadataConfigurationKind.CloudInitCloudConfig ? cloudInit : layers).Add(layer);
        }

        return ([.. layers], [.. cloudInit]);
    }

    private static ConfigLayer ReadBounded(string text, string origin, ICollection<ConfigError> errors)
    {
        if (UntrustedYaml.Problem(text) is { } problem)
        {
            errors.Add(new ConfigError(new SourcePosition(origin), null, problem));
            return ConfigLayer.Empty(origin);
        }

        return YamlLayerReader.Read(text, origin, errors);
    }

    private static ConfigLayer ReadMerged(MetadataConfiguration configuration, ICollection<ConfigError> errors, ICollection<string>? warnings)
    {
        var layer = ReadBounded(configuration.Text, configuration.Origin, errors);
        if (!layer.Values.IsEmpty)
        {
            warnings?.Add(CloudConfigReader.LegacyKeyWarning(configuration.Origin));
        }

        return layer;
    }

    private static void Add(List<KeyValuePair<string, string?>> pairs, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            pairs.Add(new(key, value));
        }
    }
}
