using RamDax.Provision.Machine;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Machine;

public sealed class FirmwareMemoryMapTests : IDisposable
{
    private readonly TempRoot _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Overlapping_entries_are_refused_naming_both()
    {
        _temp.Machine([(0x0, 0x9fbff, "Reserved"), (0x100000000, 0x1bfffffff, "System RAM"), (0x180000000, 0x23fffffff, "System RAM")]);

        var e = Assert.Throws<MachineReadException>(() => FirmwareMemoryMap.Read(_temp.Root));

        Assert.Contains("entry 2 (0x180000000-0x23fffffff System RAM) overlaps entry 1 (0x100000000-0x1bfffffff System RAM)", e.Message, StringComparison.Ordinal);
        Assert.Equal(66, e.ExitCode);
    }

    [Fact]
    public void Out_of_order_entries_are_refused_naming_both()
    {
        _temp.Machine([(0x100000000, 0x1bfffffff, "System RAM"), (0x0, 0x9fbff, "System RAM")]);

        var e = Assert.Throws<MachineReadException>(() => FirmwareMemoryMap.Read(_temp.Root));

        Assert.Contains("entry 1 (0x0-0x9fbff System RAM) comes before entry 0 (0x100000000-0x1bfffffff System RAM)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_are_taken_in_number_order_not_listing_order()
    {
        var entries = Enumerable.Range(0, 12).Select(i => ((ulong)i << 32, ((ulong)i << 32) + 0xfffffff, "System RAM"));
        _temp.Machine(entries);

        var map = FirmwareMemoryMap.Read(_temp.Root);

        Assert.Equal(12, map.Entries.Length);
    }

    [Theory]
    [InlineData("roots/converged-6G")]
    [InlineData("roots/qemu-6G-memmap2G")]
    [InlineData("roots/qemu-trixie-6G-memmap2G")]
    [InlineData("roots/qemu-trixie-6G")]
    public void Every_captured_real_map_is_in_order_without_overlaps(string fixture)
    {
        Assert.NotEmpty(FirmwareMemoryMap.Read(new MachineRoot(Fixtures.PathTo(fixture))).Entries);
    }
}
