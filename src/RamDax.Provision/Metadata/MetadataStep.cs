using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Metadata;

/// <summary>
/// The metadata step as the commands run it: the <c>metadata:</c> settings from the local layers
/// first, then the sources they name. <c>plan</c> and <c>apply</c> call this before their final
/// configuration load and pass the result's layers into it.
/// </summary>
public static class MetadataStep
{
    /// <param name="request">The local configuration (image files, environment, <c>--config</c>, <c>--set</c>).</param>
    /// <param name="offline"><c>--offline</c>: read nothing.</param>
    /// <param name="resolver">The resolver to use; null builds the default one for <paramref name="request"/>'s root.</param>
    public static MetadataResolution Resolve(ConfigurationRequest request, bool offline, MetadataResolver? resolver = null)
    {
        var settings = ConfigurationLoader.LoadMetadataSettings(request);
        if (offline)
        {
            return MetadataResolver.Offline(settings);
        }

        resolver ??= new MetadataResolver(request.Root);
        return resolver.ResolveAsync(settings).GetAwaiter().GetResult();
    }
}
