using RamDax.Provision.Configuration.Document;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

// The carveout: settings: how much memory to set aside, in what steps and where.
public sealed partial class SettingsMapper
{
    private const ulong MinAlignment = 16 * ByteSize.MiB;

    private CarveoutSettings MapCarveout(CarveoutDocument doc)
    {
        var placement = doc.Placement ?? new PlacementDocument();
        var alignment = Size("carveout:alignment", doc.Alignment, ByteSize.GiB);
        if (alignment < MinAlignment || (alignment & (alignment - 1)) != 0)
        {
            Error("carveout:alignment", $"must be a power of two of at least 16M (ndctl's region alignment), not {ByteSize.FormatExact(alignment)}");
            alignment = ByteSize.GiB;
        }

        SizeRequest? size = null;
        if (doc.Size is not null)
        {
            size = SizeRequest.TryParse(doc.Size, allowRest: false, out var error);
            if (size is null)
            {
                Error("carveout:size", error!);
            }
            else if (size is SizeRequest.Absolute a && a.Bytes % alignment != 0)
            {
                Error("carveout:size", $"{doc.Size} is not a multiple of carveout.alignment ({ByteSize.FormatExact(alignment)}); "
                    + $"use {ByteSize.FormatExact(ByteSize.AlignDown(a.Bytes, alignment))} or {ByteSize.FormatExact(ByteSize.AlignUp(a.Bytes, alignment) ?? a.Bytes)}");
            }
        }

        var maxRanges = Int("carveout:max_ranges", doc.MaxRanges, 4);
        if (maxRanges is < 1 or > 32)
        {
            Error("carveout:max_ranges", $"must be between 1 and 32, not {maxRanges}");
        }

        return new CarveoutSettings(
            size,
            Size("carveout:min_os_memory", doc.MinOsMemory, 2 * ByteSize.GiB),
            alignment,
            Size("carveout:placement:min_address", placement.MinAddress, 4 * ByteSize.GiB),
            Enum("carveout:placement:order", placement.Order, PlacementOrder.HighestFirst),
            Word("carveout:placement:numa", placement.Numa, "none", "none", "spread") == "spread",
            maxRanges,
            Bool("carveout:adopt_foreign_pmem", doc.AdoptForeignPmem, false));
    }
}
