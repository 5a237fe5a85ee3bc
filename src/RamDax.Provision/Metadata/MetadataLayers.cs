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
    /// <summary>Builds the layers; problems in the texts are added to <paramref name="errors"/>, named by their origin.</summary>
    public static (ImmutableArray<ConfigLayer> Metadata, ImmutableArray<ConfigLayer> CloudInit) Build(InstanceMetadata metadata, ICollection<ConfigError> errors)
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
                MetadataConfigurationKind.Tag => YamlLayerReader.Read(ConfigurationText.DecodeTag(configuration.Text), configuration.Origin, errors),
                MetadataConfigurationKind.UserData => configuration.Text.StartsWith("#cloud-config", StringComparison.Ordinal)
                    ? YamlLayerReader.ReadCloudConfig(configuration.Text, configuration.Origin, errors)
                    : null, // a script or MIME archive: not for this agent
                _ => YamlLayerReader.Read(configuration.Text, configuration.Origin, errors),
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

            (configuration.Kind == MetadataConfigurationKind.CloudInitMerged ? cloudInit : layers).Add(layer);
        }

        return ([.. layers], [.. cloudInit]);
    }

    private static void Add(List<KeyValuePair<string, string?>> pairs, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            pairs.Add(new(key, value));
        }
    }
}
