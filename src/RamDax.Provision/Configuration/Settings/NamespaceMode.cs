using System.Text.Json.Serialization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>The ndctl namespace mode.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<NamespaceMode>))]
public enum NamespaceMode
{
    /// <summary>A block device (<c>/dev/pmemX</c>) for a DAX-capable filesystem.</summary>
    Fsdax,

    /// <summary>A character device (<c>/dev/daxX.Y</c>) mapped directly by applications.</summary>
    Devdax,
}
