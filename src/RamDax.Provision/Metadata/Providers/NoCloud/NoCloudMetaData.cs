using YamlDotNet.Serialization;

namespace RamDax.Provision.Metadata.Providers.NoCloud;

/// <summary>The NoCloud seed's <c>meta-data</c> file (YAML). Mutable because the YamlDotNet static generator needs it.</summary>
[YamlSerializable]
public sealed class NoCloudMetaData
{
    [YamlMember(Alias = "instance-id")]
    public string? InstanceId { get; set; }

    [YamlMember(Alias = "local-hostname")]
    public string? LocalHostname { get; set; }
}
