using YamlDotNet.Serialization;

namespace RamDax.Provision.Metadata.Providers.NoCloud;

/// <summary>The YamlDotNet static (reflection-free) context for the NoCloud seed.</summary>
[YamlStaticContext]
[YamlSerializable(typeof(NoCloudMetaData))]
public partial class NoCloudYamlContext : StaticContext;
