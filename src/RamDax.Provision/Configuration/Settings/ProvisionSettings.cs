using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>The effective configuration after every layer is merged and validated. Immutable.</summary>
public sealed record ProvisionSettings(
    CarveoutSettings Carveout,
    ImmutableArray<NamespaceSettings> Namespaces,
    MetadataSettings Metadata,
    BootloaderKind Bootloader,
    RebootMode Reboot,
    InstanceSettings Instance)
{
    /// <summary>The directories mounts may go below: the built-in ones and the image's <c>mount_prefixes:</c>.</summary>
    public ImmutableArray<string> MountPrefixes { get; init; } = [.. MountPathRules.BuiltInPrefixes];
}

/// <summary>
/// How much RAM to carve out and where to put it. No size means nothing is carved.
/// <see cref="AdoptForeignPmem"/>: whether a plan may go ahead beside persistent memory
/// (<c>memmap=nn!ss</c>) the agent did not set up; ramdax binds the whole e820_pmem device, so it
/// takes that range's <c>/dev/pmem</c> over.
/// </summary>
public sealed record CarveoutSettings(
    SizeRequest? Size,
    ulong MinOsMemory,
    ulong Alignment,
    ulong MinAddress,
    PlacementOrder Order,
    bool SpreadAcrossNumaNodes,
    int MaxRanges,
    bool AdoptForeignPmem);

/// <summary>Which usable firmware ranges are filled first.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PlacementOrder>))]
public enum PlacementOrder
{
    /// <summary>Highest addresses first (the default: keeps low memory for the kernel and DMA).</summary>
    HighestFirst,

    /// <summary>Lowest addresses (at or above the minimum address) first.</summary>
    LowestFirst,
}

/// <summary>The ndctl namespace mode.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<NamespaceMode>))]
public enum NamespaceMode
{
    /// <summary>A block device (<c>/dev/pmemX</c>) for a DAX-capable filesystem.</summary>
    Fsdax,

    /// <summary>A character device (<c>/dev/daxX.Y</c>) mapped directly by applications.</summary>
    Devdax,
}

/// <summary>One namespace of the layout.</summary>
public sealed record NamespaceSettings(
    string Name,
    NamespaceMode Mode,
    SizeRequest Size,
    ulong Alignment,
    FilesystemSettings? Filesystem,
    MountSettings? Mount,
    DeviceAccessSettings? Device,
    bool Wipe,
    bool Reconfigure);

/// <summary>The DAX-capable filesystems.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<FilesystemType>))]
public enum FilesystemType
{
    Ext4,

    Xfs,
}

/// <summary>The filesystem made on an fsdax namespace.</summary>
public sealed record FilesystemSettings(FilesystemType Type, string Label, ImmutableArray<string> MkfsOptions);

/// <summary>Where and how an fsdax namespace is mounted.</summary>
public sealed record MountSettings(string Path, ImmutableArray<string> Options, string Owner, string Group, string Mode);

/// <summary>Owner, group and mode of a devdax character device.</summary>
public sealed record DeviceAccessSettings(string Owner, string Group, string Mode);

/// <summary>Where the instance's identity and configuration come from.</summary>
public sealed record MetadataSettings(MetadataSource Source, Uri? Endpoint, bool Required, TimeSpan Budget, bool AllowImdsV1);

/// <summary>The sources of instance metadata.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetadataSource>))]
public enum MetadataSource
{
    Auto,
    CloudInit,
    NoCloud,
    Azure,
    Aws,
    Gce,
    OpenStack,
    None,
}

/// <summary>The bootloader backend that carries the kernel arguments.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<BootloaderKind>))]
public enum BootloaderKind
{
    Auto,
    Grub,
    Bls,
    KernelInstall,
    None,
}

/// <summary>How the agent restarts the machine once the kernel arguments are written.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RebootMode>))]
public enum RebootMode
{
    Auto,
    Never,
    Kexec,
}

/// <summary>What is known or forced about the instance (from <c>--set instance.type=...</c> or metadata).</summary>
public sealed record InstanceSettings(string? Id, string? Type, string? Cloud);
