using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Metadata;

/// <summary>
/// Which cloud the firmware says this is (<c>/sys/class/dmi/id</c>), so that <c>auto</c> asks the right
/// service first instead of probing every one.
/// </summary>
public static class CloudHint
{
    public const string DmiDirectory = "/sys/class/dmi/id";

    /// <summary>The chassis asset tag Azure sets on every VM.</summary>
    public const string AzureAssetTag = "7783-7084-3265-9085-8269-3286-77";

    /// <summary>The cloud the DMI strings point at, or null when they say nothing known.</summary>
    public static MetadataSource? Read(MachineRoot root)
    {
        string Field(string name)
        {
            try
            {
                return root.TryReadText($"{DmiDirectory}/{name}")?.Trim() ?? "";
            }
            catch (MachineReadException)
            {
                return "";
            }
        }

        return FromDmi(Field("sys_vendor"), Field("product_name"), Field("chassis_asset_tag"), Field("board_vendor"));
    }

    /// <summary>The pure rule behind <see cref="Read"/>.</summary>
    public static MetadataSource? FromDmi(string sysVendor, string productName, string chassisAssetTag, string boardVendor)
    {
        if (chassisAssetTag == AzureAssetTag)
        {
            return MetadataSource.Azure;
        }

        if (sysVendor.StartsWith("Amazon EC2", StringComparison.Ordinal) || boardVendor.StartsWith("Amazon EC2", StringComparison.Ordinal))
        {
            return MetadataSource.Aws;
        }

        if (sysVendor.StartsWith("Google", StringComparison.Ordinal) || productName.StartsWith("Google", StringComparison.Ordinal))
        {
            return MetadataSource.Gce;
        }

        if (sysVendor is "OpenStack Foundation" or "OpenStack Nova" || productName is "OpenStack Nova" or "OpenStack Compute")
        {
            return MetadataSource.OpenStack;
        }

        return null;
    }
}
