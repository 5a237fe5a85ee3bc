using System.Text.Json.Serialization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>The DAX-capable filesystems.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<FilesystemType>))]
public enum FilesystemType
{
    Ext4,

    Xfs,
}
