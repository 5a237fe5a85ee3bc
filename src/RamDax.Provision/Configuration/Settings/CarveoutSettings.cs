namespace RamDax.Provision.Configuration.Settings;

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
