using System.Text.Json.Serialization;

namespace RamDax.Provision.Metadata;

/// <summary>How a configuration text found in metadata is written, which decides its layer.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetadataConfigurationKind>))]
public enum MetadataConfigurationKind
{
    /// <summary>A <c>ramdax</c> tag or attribute: a YAML mapping (<c>carveout: {size: 64G}</c>), possibly base64.</summary>
    Tag,

    /// <summary>User-data; only a <c>#cloud-config</c> document is read, for its config.d <c>write_files:</c> entries and its <c>ramdax:</c> key.</summary>
    UserData,

    /// <summary>The <c>ramdax:</c> key of cloud-init's merged cloud-config, as JSON; stronger than tags and user-data.</summary>
    CloudInitMerged,

    /// <summary>
    /// The cloud-config cloud-init stored for this instance (<c>cloud-config.txt</c>, cloud-init before
    /// 23.3): only its <c>ramdax:</c> key is read, as strong as <see cref="CloudInitMerged"/>.
    /// </summary>
    CloudInitCloudConfig,
}
