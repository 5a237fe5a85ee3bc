using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Readers;

public sealed class NdNamespaceReaderTests
{
    private const string Uefi = "qemu-debian13-7.3.4-uefi-os-prober";

    [Fact]
    public void Sysfs_of_the_provisioned_uefi_guest_reads_as_what_ndctl_listed_on_the_same_boot()
    {
        using var temp = new TempRoot().CopySysfsCapture($"{Uefi}/sys-bus-nd-devices", "/sys/bus/nd/devices");
        var listed = Assert.Single(NdctlOutput.ParseRegions(Fixtures.Read($"{Uefi}/ndctl-list.json")));

        var read = NdNamespaceReader.Read(temp.Root, "region0");

        Assert.NotNull(read);
        Assert.Equal((listed.Dev, listed.Size, listed.AvailableSize), (read.Dev, read.Size, read.AvailableSize));
        Assert.Equal(listed.Namespaces.OrderBy(n => n.Dev, StringComparer.Ordinal), read.Namespaces);
    }

    [Theory]
    [InlineData("region0")]
    [InlineData("region1")]
    public void Each_region_of_the_two_node_guest_reads_from_sysfs_as_ndctl_listed_it(string region)
    {
        var read = ReadsAsListed("qemu-debian13-7.3.4-numa", region);

        Assert.Single(read.Namespaces);
    }

    [Theory]
    [InlineData("region0")]
    [InlineData("region1")]
    [InlineData("region2")]
    public void Each_converted_nd_e820_region_of_the_debian_12_guest_reads_from_sysfs_as_ndctl_76_listed_it(string region)
    {
        var read = ReadsAsListed("qemu-debian12-6.1-nd_e820", region);

        Assert.All(read.Namespaces, n => Assert.False(n.IsUnconverted));
    }

    // The guest's sysfs capture read as REGION equals ndctl list -BDRN of the same boot.
    private static NdctlRegion ReadsAsListed(string guest, string region)
    {
        using var temp = new TempRoot().CopySysfsCapture($"{guest}/sys-bus-nd-devices", "/sys/bus/nd/devices");
        var listed = NdctlOutput.ParseRegions(Fixtures.Read($"{guest}/ndctl-list-BDRN-with-sysfs.json")).Single(r => r.Dev == region);

        var read = NdNamespaceReader.Read(temp.Root, region);

        Assert.NotNull(read);
        Assert.Equal((listed.Dev, listed.Size, listed.AvailableSize), (read.Dev, read.Size, read.AvailableSize));
        Assert.Equal(listed.Namespaces.ToList(), read.Namespaces.ToList());
        return read;
    }

    [Fact]
    public void The_devdax_namespace_has_the_character_device_its_dax_device_holds_not_the_dax_devices_own_name()
    {
        using var temp = new TempRoot().CopySysfsCapture($"{Uefi}/sys-bus-nd-devices", "/sys/bus/nd/devices");

        var dev = NdNamespaceReader.Read(temp.Root, "region0")!.Namespaces.Single(n => n.Name == "e2e-dev");

        // namespace0.2 is claimed by the nd device dax0.0, whose device-dax child is dax0.2.
        Assert.Equal(("namespace0.2", "devdax", "/dev/dax0.2", 262144000UL), (dev.Dev, dev.Mode, dev.DevicePath, dev.Size));
    }

    [Fact]
    public void The_idle_seed_namespace_and_unclaimed_seed_devices_are_not_listed_as_ndctl_leaves_them_out()
    {
        using var temp = new TempRoot().CopySysfsCapture($"{Uefi}/sys-bus-nd-devices", "/sys/bus/nd/devices");

        var read = NdNamespaceReader.Read(temp.Root, "region0")!;

        // namespace0.3 is the region's seed: size 0, no holder, no driver.
        Assert.Equal(["namespace0.0", "namespace0.1", "namespace0.2"], read.Namespaces.Select(n => n.Dev));
    }

    [Fact]
    public void A_namespace_whose_claiming_device_is_not_bound_yet_is_waited_for_then_left_out_as_ndctl_leaves_it_out()
    {
        using var temp = new TempRoot().CopySysfsCapture($"{Uefi}/sys-bus-nd-devices", "/sys/bus/nd/devices");
        // namespace0.0 is claimed by pfn0.0, whose driver has not bound it (yet).
        File.Delete(temp.Root.Resolve("/sys/bus/nd/devices/pfn0.0/driver"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var read = NdNamespaceReader.Read(temp.Root, "region0", settleAttempts: 3)!;

        Assert.Equal(["namespace0.1", "namespace0.2"], read.Namespaces.Select(n => n.Dev));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"read again twice, 100 ms apart, not after {clock.Elapsed}");
    }

    [Fact]
    public void A_region_sysfs_does_not_have_reads_as_none()
    {
        using var temp = new TempRoot().CopySysfsCapture($"{Uefi}/sys-bus-nd-devices", "/sys/bus/nd/devices");

        Assert.Null(NdNamespaceReader.Read(temp.Root, "region1"));
        Assert.Null(NdNamespaceReader.Read(temp.Root, "namespace0.0"));
        using var empty = new TempRoot();
        Assert.Null(NdNamespaceReader.Read(empty.Root, "region0"));
    }
}
