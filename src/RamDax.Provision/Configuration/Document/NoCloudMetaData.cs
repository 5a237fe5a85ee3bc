using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary>The NoCloud seed's <c>meta-data</c> file (YAML), read by the NoCloud provider; listed here because the YAML static context lists every document shape. Mutable because the YamlDotNet static generator needs it.</summary>
[YamlSerializable]
public sealed class NoCloudMetaData
{
    [YamlMember(Alias = "instance-id")]
    public string? InstanceId { get; set; }

    [YamlMember(Alias = "local-hostname")]
    public string? LocalHostname { get; set; }
}
