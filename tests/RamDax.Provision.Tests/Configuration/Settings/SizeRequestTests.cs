using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Tests.Configuration.Settings;

public sealed class SizeRequestTests
{
    [Theory]
    [InlineData("25%", 25)]
    [InlineData("12.5%", 12.5)]
    [InlineData("100%", 100)]
    public void Shares_are_percentages(string text, double percent)
    {
        var share = Assert.IsType<SizeRequest.Share>(SizeRequest.TryParse(text, allowRest: false, out _));
        Assert.Equal((decimal)percent, share.Percent);
    }

    [Theory]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("abc%")]
    [InlineData("0")]
    public void Empty_or_impossible_shares_and_sizes_are_refused(string text) =>
        Assert.Null(SizeRequest.TryParse(text, allowRest: true, out _));

    [Fact]
    public void Rest_is_only_allowed_where_asked_for()
    {
        Assert.IsType<SizeRequest.Rest>(SizeRequest.TryParse("rest", allowRest: true, out _));
        Assert.Null(SizeRequest.TryParse("rest", allowRest: false, out var error));
        Assert.Contains("only allowed for a namespace", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("25", 6UL << 30, 1536UL << 20)]
    [InlineData("12.5", 1UL << 30, 128UL << 20)]
    [InlineData("33", 10, 3)]
    [InlineData("100", 4097, 4097)]
    public void A_share_of_a_whole_is_rounded_down_to_a_byte(string percent, ulong whole, ulong expected) =>
        Assert.Equal(expected, new SizeRequest.Share(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture)).Of(whole));

    [Theory]
    [InlineData("64G", "64G")]
    [InlineData("1536m", "1536M")]
    [InlineData("12.5%", "12.5%")]
    [InlineData("REST", "rest")]
    public void A_request_prints_as_a_configuration_would_write_it(string text, string printed) =>
        Assert.Equal(printed, SizeRequest.TryParse(text, allowRest: true, out _)?.ToString());
}
