using RamDax.Provision.Planning;

namespace RamDax.Provision.Tests.Planning;

/// <summary>The capacity arithmetic against what the real kernel and ndctl reported (captures in shared/).</summary>
public sealed class NamespaceCapacityTests
{
    [Fact]
    public void A_2G_range_offers_2032M_as_region0_did() =>
        Assert.Equal(2130706432UL, NamespaceCapacity.Available(2UL << 30));

    [Theory]
    [InlineData(512UL << 20, 2UL << 20, 526385152UL)] // store-ext4: ndctl reported 526385152
    [InlineData(256UL << 20, 2UL << 20, 262144000UL)] // store-xfs: 262144000
    [InlineData(128UL << 20, 2UL << 20, 130023424UL)] // small-dev devdax: 130023424
    public void Usable_sizes_match_what_ndctl_reported(ulong size, ulong alignment, ulong reported) =>
        Assert.Equal(reported, NamespaceCapacity.Usable(size, alignment));

    [Fact]
    public void A_1G_aligned_namespace_of_1G_has_nothing_usable_as_the_kernel_refused_it() =>
        Assert.Equal(0UL, NamespaceCapacity.Usable(1UL << 30, 1UL << 30));

    [Fact]
    public void A_1G_aligned_namespace_loses_one_whole_step() =>
        Assert.Equal(1UL << 30, NamespaceCapacity.Usable(2UL << 30, 1UL << 30));
}
