using System.Text.Json;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Metadata.Providers.CloudInit;

/// <summary>
/// Reads what cloud-init already fetched: the standard <c>v1</c> keys of
/// <c>/run/cloud-init/instance-data.json</c>, the instance type from the datasource's own metadata
/// (<c>ds.meta_data</c>: cloud-init has no standard key for it), and the <c>ramdax:</c> key of
/// <c>/run/cloud-init/combined-cloud-config.json</c>, where vendor-data and user-data are merged
/// (cloud-init 23.3 and later), or of the instance's stored <c>cloud-config.txt</c> before that.
/// The documented <c>write_files:</c> form needs none of this: cloud-init has written the file into
/// config.d before the agent runs.
/// </summary>
public sealed class CloudInitProvider(MachineRoot root) : IMetadataProvider
{
    public const string InstanceDataPath = "/run/cloud-init/instance-data.json";
    public const string CombinedConfigPath = "/run/cloud-init/combined-cloud-config.json";
    public const string InstancesDirectory = "/var/lib/cloud/instances";

    public MetadataSource Source => MetadataSource.CloudInit;

    /// <summary>Whether cloud-init has run on this boot (its instance data exists).</summary>
    public bool IsPresent => root.FileExists(InstanceDataPath);

    public Task<InstanceMetadata?> FetchAsync(CancellationToken cancellationToken) => Task.FromResult(Fetch());

    private InstanceMetadata? Fetch()
    {
        var text = root.TryReadText(InstanceDataPath);
        if (text is null)
        {
            return null;
        }

        using var instanceData = Parse(text, InstanceDataPath);
        var v1 = instanceData.RootElement.TryGetProperty("v1", out var standard) && standard.ValueKind == JsonValueKind.Object
            ? standard
            : throw new MetadataFetchException($"cloud-init: {InstanceDataPath} has no v1 object; is this cloud-init's instance data?");
        var cloud = String(v1, "cloud_name") ?? String(v1, "platform") ?? "unknown";
        var type = instanceData.RootElement.TryGetProperty("ds", out var ds) && ds.TryGetProperty("meta_data", out var metaData)
            ? InstanceType(metaData)
            : null;

        var notes = new List<string>();
        var configurations = new List<MetadataConfiguration>();
        var id = String(v1, "instance_id");
        var combined = ReadCombined(notes);
        if (combined is not null)
        {
            using var document = Parse(combined, CombinedConfigPath);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("ramdax", out var ramdax)
                && ramdax.ValueKind != JsonValueKind.Null)
            {
                configurations.Add(new MetadataConfiguration(ramdax.GetRawText(), "cloud-init combined-cloud-config.json", MetadataConfigurationKind.CloudInitMerged));
            }
        }
        else if (!root.FileExists(CombinedConfigPath))
        {
            configurations.AddRange(ReadStoredCloudConfig(id, notes));
        }

        return new InstanceMetadata(cloud, id, type, String(v1, "region"), $"cloud-init {InstanceDataPath}", [.. configurations], [.. notes]);
    }

    /// <summary>
    /// Where cloud-init before 23.3 keeps the cloud-config parts of this instance's vendor-data and
    /// user-data, merged: <c>/var/lib/cloud/instances/ID/{vendor-,}cloud-config.txt</c> (ID with '/' as '_',
    /// as cloud-init's <c>Paths.get_ipath</c> writes it). The instance's own directory, not the
    /// <c>instance</c> symlink, so that nothing of an earlier instance is read.
    /// </summary>
    public static IEnumerable<string> StoredCloudConfigPaths(string instanceId)
    {
        var directory = $"{InstancesDirectory}/{instanceId.Replace('/', '_')}";
        return [$"{directory}/vendor-cloud-config.txt", $"{directory}/cloud-config.txt"];
    }

    // No combined-cloud-config.json: cloud-init is older than 23.3 (Debian 12 has 22.4).
    private List<MetadataConfiguration> ReadStoredCloudConfig(string? id, List<string> notes)
    {
        var found = new List<MetadataConfiguration>();
        if (id is null)
        {
            notes.Add($"cloud-init: no {CombinedConfigPath} and no instance_id in {InstanceDataPath}; a ramdax: key in user-data is not applied");
            return found;
        }

        foreach (var path in StoredCloudConfigPaths(id))
        {
            try
            {
                if (root.TryReadText(path) is { } text)
                {
                    found.Add(new MetadataConfiguration(text, $"cloud-init {path}", MetadataConfigurationKind.CloudInitCloudConfig));
                }
            }
            catch (MachineReadException e)
            {
                notes.Add($"cloud-init: {e.Message} (cloud-init writes it for root only); a ramdax: key in user-data is not applied");
            }
        }

        return found;
    }

    // combined-cloud-config.json is root-only; without it the ramdax: key of user-data is unseen.
    private string? ReadCombined(List<string> notes)
    {
        try
        {
            return root.TryReadText(CombinedConfigPath);
        }
        catch (MachineReadException e)
        {
            notes.Add($"cloud-init: {e.Message}; a ramdax: key in user-data is not applied");
            return null;
        }
    }

    // Where the datasources keep the type: EC2 instance_type (or instance-type), Azure imds.compute.vmSize,
    // GCE machine_type (a path), OpenStack instance_type when the deployment exposes it.
    private static string? InstanceType(JsonElement metaData)
    {
        if (metaData.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = String(metaData, "instance_type") ?? String(metaData, "instance-type")
            ?? String(metaData, "machine_type") ?? String(metaData, "machine-type");
        if (type is null && metaData.TryGetProperty("imds", out var imds) && imds.ValueKind == JsonValueKind.Object
            && imds.TryGetProperty("compute", out var compute) && compute.ValueKind == JsonValueKind.Object)
        {
            type = String(compute, "vmSize");
        }

        return type is null ? null : type[(type.LastIndexOf('/') + 1)..];
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static JsonDocument Parse(string text, string path)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new MetadataFetchException($"cloud-init: {path} is not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }
}
