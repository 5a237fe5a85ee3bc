using CsCheck;
using RamDax.Provision.Configuration;

namespace RamDax.Provision.Tests.Configuration;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("64G", 64UL << 30)]
    [InlineData("64GiB", 64UL << 30)]
    [InlineData("512M", 512UL << 20)]
    [InlineData("512m", 512UL << 20)]
    [InlineData("128K", 128UL << 10)]
    [InlineData("2T", 2UL << 40)]
    [InlineData("1073741824", 1UL << 30)]
    [InlineData(" 4G ", 4UL << 30)]
    public void Sizes_are_read_in_binary_units(string text, ulong expected)
    {
        Assert.Equal(expected, ByteSize.TryParse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("64GB", "decimal unit")]
    [InlineData("12X", "unknown unit")]
    [InlineData("", "empty")]
    [InlineData("1.5G", "not a size")]
    [InlineData("-1G", "not a size")]
    [InlineData("16384P", "too large")]
    [InlineData("99999999999999999999", "too large")]
    public void A_size_that_is_not_one_is_refused_with_a_reason(string text, string reason)
    {
        Assert.Null(ByteSize.TryParse(text, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2UL << 30, "2G")]
    [InlineData(1536UL << 20, "1536M")]
    [InlineData(4UL << 30, "4G")]
    [InlineData(4097, "4097")]
    [InlineData(1UL << 40, "1T")]
    public void Exact_sizes_print_in_the_largest_unit_that_divides_them(ulong bytes, string expected) =>
        Assert.Equal(expected, ByteSize.FormatExact(bytes));

    [Fact]
    public void Printing_and_reading_a_size_round_trips() =>
        Gen.ULong[1, ulong.MaxValue >> 4].Sample(b => ByteSize.TryParse(ByteSize.FormatExact(b), out _) == b);
}
