using RamDax.Provision.Configuration.Document;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace RamDax.Provision.Metadata.Providers.NoCloud;

/// <summary>
/// Reads a NoCloud seed directory (<c>/var/lib/cloud/seed/nocloud</c> or <c>nocloud-net</c>) when
/// cloud-init has not run: <c>meta-data</c> gives the instance id, <c>user-data</c> may be a
/// <c>#cloud-config</c> document with a <c>ramdax:</c> key.
/// </summary>
public sealed class NoCloudProvider(MachineRoot root) : IMetadataProvider
{
    public const string SeedDirectory = "/var/lib/cloud/seed";

    private static readonly IDeserializer MetaDataReader = new StaticDeserializerBuilder(new ConfigYamlContext())
        .IgnoreUnmatchedProperties()
        .Build();

    public MetadataSource Source => MetadataSource.NoCloud;

    /// <summary>The first seed directory with a meta-data file, or null.</summary>
    public string? FindSeed()
    {
        if (!root.DirectoryExists(SeedDirectory))
        {
            return null;
        }

        return root.ListNames(SeedDirectory)
            .Where(n => n.StartsWith("nocloud", StringComparison.Ordinal))
            .Select(n => $"{SeedDirectory}/{n}")
            .FirstOrDefault(d => root.FileExists($"{d}/meta-data"));
    }

    public Task<InstanceMetadata?> FetchAsync(CancellationToken cancellationToken) => Task.FromResult(Fetch());

    private InstanceMetadata? Fetch()
    {
        var seed = FindSeed();
        if (seed is null)
        {
            return null;
        }

        var metaDataPath = $"{seed}/meta-data";
        NoCloudMetaData metaData;
        try
        {
            metaData = MetaDataReader.Deserialize<NoCloudMetaData?>(root.ReadText(metaDataPath)) ?? new NoCloudMetaData();
        }
        catch (YamlException e)
        {
            throw new MetadataFetchException($"nocloud: {metaDataPath} is not valid YAML (line {e.Start.Line}): {(e.InnerException ?? e).Message}", e);
        }

        var userDataPath = $"{seed}/user-data";
        var userData = root.TryReadText(userDataPath);
        return new InstanceMetadata(
            "nocloud",
            string.IsNullOrWhiteSpace(metaData.InstanceId) ? null : metaData.InstanceId.Trim(),
            null,
            null,
            $"nocloud seed {seed}",
            userData is null ? [] : [new MetadataConfiguration(userData, $"nocloud user-data {userDataPath}", MetadataConfigurationKind.UserData)],
            []);
    }
}
