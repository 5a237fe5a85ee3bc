using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile;

/// <summary>What a line of the reconcile report is about.</summary>
public enum ItemKind
{
    /// <summary>The driver holding the <c>e820_pmem</c> platform device.</summary>
    [JsonStringEnumMemberName("driver")]
    Driver,

    /// <summary>A memmap range and the nd region the kernel made of it.</summary>
    [JsonStringEnumMemberName("carveout")]
    Carveout,

    /// <summary>An ndctl namespace.</summary>
    [JsonStringEnumMemberName("namespace")]
    Namespace,

    /// <summary>A devdax character device and its owner, group and mode.</summary>
    [JsonStringEnumMemberName("device")]
    Device,

    /// <summary>The filesystem on an fsdax block device.</summary>
    [JsonStringEnumMemberName("filesystem")]
    Filesystem,

    /// <summary>The <c>dax=always</c> mount of a filesystem.</summary>
    [JsonStringEnumMemberName("mount")]
    Mount,
}
