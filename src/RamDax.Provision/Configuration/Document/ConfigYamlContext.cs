using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary>
/// The YamlDotNet static (reflection-free, NativeAOT-safe) context for every YAML document the agent
/// reads. The generator makes one context per assembly (a second one is left unimplemented), so
/// every YAML DTO is listed here.
/// </summary>
[YamlStaticContext]
[YamlSerializable(typeof(ConfigDocument))]
[YamlSerializable(typeof(NoCloudMetaData))]
public partial class ConfigYamlContext : StaticContext;
