using RamDax.Provision.Configuration;

namespace RamDax.Provision.Planning;

/// <summary>
/// The arithmetic of ramdax regions and namespaces, as measured on a real kernel (see the captures
/// in tests/fixtures): a 2 GiB range offers 2032 MiB; <c>-s 512M</c> fsdax with 2 MiB alignment
/// gives 502 MiB usable, 256M gives 250 MiB, a 128M devdax gives 124 MiB.
/// </summary>
public static class NamespaceCapacity
{
    /// <summary>The label area ramdax keeps at the end of every range (a hard-coded constant in the driver).</summary>
    public const ulong LabelArea = 128 * ByteSize.KiB;

    /// <summary>The alignment of ramdax regions: namespace sizes and starts are multiples of it.</summary>
    public const ulong RegionAlignment = 16 * ByteSize.MiB;

    /// <summary>The pfn/dax info block at the start of a namespace.</summary>
    public const ulong InfoBlock = 8 * ByteSize.KiB;

    /// <summary>map=dev keeps one 64-byte struct page per 4 KiB page inside the namespace.</summary>
    public const ulong PageMetadataDivisor = 64;

    /// <summary>What ndctl can allocate from a range of <paramref name="rangeSize"/> bytes.</summary>
    public static ulong Available(ulong rangeSize) =>
        rangeSize <= LabelArea ? 0 : ByteSize.AlignDown(rangeSize - LabelArea, RegionAlignment);

    /// <summary>The step a namespace's size must be a multiple of.</summary>
    public static ulong SizeStep(ulong alignment) => Math.Max(RegionAlignment, alignment);

    /// <summary>
    /// The usable bytes of a namespace of <paramref name="size"/> bytes with data aligned to
    /// <paramref name="alignment"/>: the info block and page metadata come first, rounded up to the
    /// alignment, so a 1 GiB-aligned namespace loses a whole 1 GiB step. Zero when nothing is left.
    /// </summary>
    public static ulong Usable(ulong size, ulong alignment)
    {
        var overhead = ByteSize.AlignUp((size / PageMetadataDivisor) + InfoBlock, alignment) ?? ulong.MaxValue;
        return overhead >= size ? 0 : size - overhead;
    }
}
