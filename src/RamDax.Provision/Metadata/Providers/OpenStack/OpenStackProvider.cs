using System.Collections.Immutable;
using System.Text.Json;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Metadata.Http;

namespace RamDax.Provision.Metadata.Providers.OpenStack;

/// <summary>
/// OpenStack: the config drive (a volume labelled <c>config-2</c>) when it is mounted under one of
/// <see cref="ConfigDriveMounts"/>, otherwise the metadata service. Both carry
/// <c>openstack/latest/meta_data.json</c> (uuid, availability_zone, meta.ramdax, instance_type when
/// present) and <c>openstack/latest/user_data</c>.
/// </summary>
public sealed class OpenStackProvider(MachineRoot root, MetadataHttpClient http, ImmutableArray<string>? configDriveMounts = null) : IMetadataProvider
{
    public const string MetaDataPath = "/openstack/latest/meta_data.json";
    public const string UserDataPath = "/openstack/latest/user_data";

    /// <summary>Where the boot units mount the config drive, and where people usually do.</summary>
    public static readonly ImmutableArray<string> DefaultConfigDriveMounts = ["/run/ramdax-provision/config-2", "/mnt/config", "/media/config-2"];

    public ImmutableArray<string> ConfigDriveMounts { get; } = configDriveMounts ?? DefaultConfigDriveMounts;

    public MetadataSource Source => MetadataSource.OpenStack;

    /// <summary>The mount path of a config drive under the root, or null.</summary>
    public static string? FindConfigDrive(MachineRoot root, ImmutableArray<string> mounts) =>
        mounts.FirstOrDefault(m => root.FileExists(m + MetaDataPath));

    public async Task<InstanceMetadata?> FetchAsync(CancellationToken cancellationToken)
    {
        var drive = FindConfigDrive(root, ConfigDriveMounts);
        if (drive is not null)
        {
            return Build(root.ReadText(drive + MetaDataPath), root.TryReadText(drive + UserDataPath), $"openstack config drive {drive}", drive + MetaDataPath);
        }

        var metaData = await http.GetTextAsync(MetaDataPath, [], cancellationToken).ConfigureAwait(false);
        if (metaData is null)
        {
            return null;
        }

        var userData = await http.GetTextAsync(UserDataPath, [], cancellationToken).ConfigureAwait(false);
        return Build(metaData, userData, $"openstack metadata service {MetadataEndpoint.Display(http.BaseUrl)}", "GET " + MetaDataPath);
    }

    private static InstanceMetadata Build(string metaDataText, string? userData, string origin, string where)
    {
        OpenStackMetaData? metaData;
        try
        {
            metaData = JsonSerializer.Deserialize(metaDataText, MetadataJsonContext.Default.OpenStackMetaData);
        }
        catch (JsonException e)
        {
            throw new MetadataFetchException($"openstack: {where} is not valid JSON (line {e.LineNumber + 1})", e);
        }

        metaData ??= new OpenStackMetaData();
        var configurations = new List<MetadataConfiguration>();
        if (metaData.Meta?.GetValueOrDefault("ramdax") is { Length: > 0 } tag)
        {
            configurations.Add(new MetadataConfiguration(tag, "openstack meta 'ramdax'", MetadataConfigurationKind.Tag));
        }

        if (userData is { Length: > 0 })
        {
            configurations.Add(new MetadataConfiguration(userData, "openstack user_data", MetadataConfigurationKind.UserData));
        }

        return new InstanceMetadata("openstack", Blank(metaData.Uuid), Blank(metaData.InstanceType), Blank(metaData.AvailabilityZone), origin, [.. configurations], []);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
