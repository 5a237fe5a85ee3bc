using YamlDotNet.Serialization;

namespace RamDax.Provision.Configuration.Document;

/// <summary>The YamlDotNet static (reflection-free, NativeAOT-safe) context for configuration documents.</summary>
[YamlStaticContext]
[YamlSerializable(typeof(ConfigDocument))]
public partial class ConfigYamlContext : StaticContext;
