using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile;

/// <summary>What a line of the reconcile report is about.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ItemKind>))]
public enum ItemKind
{
    /// <summary>The driver holding the <c>e820_pmem</c> platform device.</summary>
    Driver,

    /// <summary>A memmap range and the nd region the kernel made of it.</summary>
    Carveout,

    /// <summary>An ndctl namespace.</summary>
    Namespace,

    /// <summary>A devdax character device and its owner, group and mode.</summary>
    Device,

    /// <summary>The filesystem on an fsdax block device.</summary>
    Filesystem,

    /// <summary>The <c>dax=always</c> mount of a filesystem.</summary>
    Mount,
}
