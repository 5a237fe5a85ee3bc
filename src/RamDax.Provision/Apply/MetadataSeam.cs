using RamDax.Provision.Configuration;

namespace RamDax.Provision.Apply;

/// <summary>
/// Adds instance metadata to a configuration request, with the warnings the plan should carry
/// (for example that no source answered). The metadata providers plug in here.
/// </summary>
public delegate Task<(ConfigurationRequest Request, IReadOnlyList<string> Warnings)> MetadataSeam(ConfigurationRequest request, CancellationToken cancellationToken);
