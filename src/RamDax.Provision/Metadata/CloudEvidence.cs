using System.Collections.Immutable;
using System.Text.RegularExpressions;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Metadata.Providers.OpenStack;

namespace RamDax.Provision.Metadata;

/// <summary>
/// What the machine itself says about which cloud this is, read from files only, as cloud-init's
/// <c>ds-identify</c> decides: its own result (<c>/run/cloud-init/cloud.cfg</c>), the firmware's DMI
/// strings, a mounted config drive, a volume labelled <c>config-2</c> or <c>cidata</c>. Reading it
/// costs a few file lookups, so a machine that is no cloud is told so without asking the network.
/// </summary>
/// <param name="Cloud">The source the evidence names, or null.</param>
/// <param name="Reason">What named it, for messages.</param>
/// <param name="IsLocalFile">Whether the source's data is a file on the machine (a mounted config drive), not a service.</param>
public sealed partial record CloudEvidence(MetadataSource? Cloud, string Reason, bool IsLocalFile = false)
{
    /// <summary>ds-identify's result: <c>datasource_list: [ Ec2, None ]</c>.</summary>
    public const string DsIdentifyResult = "/run/cloud-init/cloud.cfg";

    public const string LabelDirectory = "/dev/disk/by-label";

    public static readonly CloudEvidence None = new(null, "nothing on the machine names a cloud");

    /// <summary>The first piece of evidence found, strongest first.</summary>
    public static CloudEvidence Read(MachineRoot root, ImmutableArray<string> configDriveMounts)
    {
        if (FromDsIdentify(Quiet(() => root.TryReadText(DsIdentifyResult))) is { } identified)
        {
            return new CloudEvidence(identified, $"cloud-init's ds-identify ({DsIdentifyResult})");
        }

        if (CloudHint.Read(root) is { } firmware)
        {
            return new CloudEvidence(firmware, $"the firmware ({CloudHint.DmiDirectory})");
        }

        if (OpenStackProvider.FindConfigDrive(root, configDriveMounts) is { } drive)
        {
            return new CloudEvidence(MetadataSource.OpenStack, $"the config drive mounted at {drive}", IsLocalFile: true);
        }

        if (Label(root, "config-2", "CONFIG-2") is { } configDrive)
        {
            return new CloudEvidence(MetadataSource.OpenStack, $"a config drive ({configDrive}, not mounted)");
        }

        if (Label(root, "cidata", "CIDATA") is { } seed)
        {
            return new CloudEvidence(MetadataSource.NoCloud, $"a NoCloud volume ({seed}, not mounted)");
        }

        return None;
    }

    /// <summary>The one datasource ds-identify chose (besides <c>None</c>), as a source this agent reads; null when none or several.</summary>
    public static MetadataSource? FromDsIdentify(string? cloudCfg)
    {
        if (cloudCfg is null || DatasourceList().Match(cloudCfg) is not { Success: true } match)
        {
            return null;
        }

        var names = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(n => n != "None")
            .ToList();
        return names.Count != 1 ? null : names[0] switch
        {
            "Ec2" => MetadataSource.Aws,
            "Azure" => MetadataSource.Azure,
            "GCE" => MetadataSource.Gce,
            "OpenStack" or "ConfigDrive" => MetadataSource.OpenStack,
            "NoCloud" => MetadataSource.NoCloud,
            _ => null,
        };
    }

    // udev's by-label entries are symlinks to the device; whether the device node itself is there does not matter.
    private static string? Label(MachineRoot root, params string[] labels) =>
        labels.Select(l => $"{LabelDirectory}/{l}").FirstOrDefault(p =>
        {
            var path = root.Resolve(p);
            return File.Exists(path) || new FileInfo(path).LinkTarget is not null;
        });

    private static string? Quiet(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (MachineReadException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^datasource_list:\s*\[([^\]]*)\]", RegexOptions.Multiline)]
    private static partial Regex DatasourceList();
}
