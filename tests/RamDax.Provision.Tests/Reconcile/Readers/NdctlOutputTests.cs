using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Readers;

public sealed class NdctlOutputTests
{
    [Fact]
    public void I_can_read_the_regions_object_that_list_R_N_prints_once_namespaces_exist()
    {
        var region = Assert.Single(NdctlOutput.ParseRegions(Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json")));

        Assert.Equal("region0", region.Dev);
        Assert.Equal(2147483648UL, region.Size);
        Assert.Equal(1191182336UL, region.AvailableSize);
        Assert.Equal(["small-dev", "store-xfs", "store-ext4"], region.Namespaces.Select(n => n.Name));
        var ext4 = region.Namespaces.Single(n => n.Name == "store-ext4");
        Assert.Equal(("namespace0.0", "fsdax", 526385152UL, "/dev/pmem0", 2097152UL), (ext4.Dev, ext4.Mode, ext4.Size, ext4.DevicePath, ext4.Align!.Value));
        Assert.Equal("/dev/dax0.2", region.Namespaces.Single(n => n.Name == "small-dev").DevicePath);
    }

    [Fact]
    public void I_can_read_the_bus_array_with_its_dimms_that_the_systemd_boot_guest_printed_for_three_namespaces()
    {
        var region = Assert.Single(NdctlOutput.ParseRegions(Fixtures.Read("qemu-debian13-7.3.4-systemd-boot/ndctl-list.json")));

        Assert.Equal(("region0", 2147483648UL, 251658240UL), (region.Dev, region.Size, region.AvailableSize));
        Assert.Equal(
            [("e2e-dev", "devdax", 262144000UL, "/dev/dax0.2"), ("e2e-xfs", "fsdax", 1054867456UL, "/dev/pmem0.1"), ("e2e-ext4", "fsdax", 526385152UL, "/dev/pmem0")],
            region.Namespaces.Select(n => (n.Name, n.Mode, n.Size, n.DevicePath)));
    }

    [Theory]
    [InlineData("ndctl-list-RN.json")]
    [InlineData("ndctl-list-RN-after-cold-boot.json")]
    public void The_two_node_guest_has_its_node_s_planned_namespaces_in_each_region_at_the_planned_usable_sizes(string capture)
    {
        var regions = NdctlOutput.ParseRegions(Fixtures.Read($"qemu-debian13-7.3.4-numa/{capture}"));
        using var plan = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixtures.PathTo("machines/qemu-8G-numa-5-3/expected-plan.json")));
        var planned = plan.RootElement.GetProperty("namespaces").EnumerateArray()
            .Select(n => (n.GetProperty("name").GetString(), n.GetProperty("usable_size").GetUInt64()))
            .Order()
            .ToList();

        // Each node's region holds numa_node: each's devdax namespace and the filesystem pinned there.
        Assert.Equal(["region0", "region1"], regions.Select(r => r.Dev).Order());
        Assert.All(regions, r => Assert.Equal(2, r.Namespaces.Length));
        Assert.All(regions, r => Assert.Single(r.Namespaces, n => n.Name!.StartsWith("vm-node", StringComparison.Ordinal) && n.Mode == "devdax"));
        Assert.Equal(planned, regions.SelectMany(r => r.Namespaces).Select(n => (n.Name, n.Size)).Order().ToList());
    }

    [Fact]
    public void I_can_read_the_bus_array_of_a_boot_where_the_region_is_empty()
    {
        var region = Assert.Single(NdctlOutput.ParseRegions(Fixtures.Qemu("cold-boot-after/ndctl-list-BDRN-at-boot.json")));

        Assert.Empty(region.Namespaces);
        Assert.Equal(2130706432UL, region.AvailableSize);
        Assert.True(NamespaceDecider.LooksColdBooted(region));
    }

    [Fact]
    public void A_plain_array_of_regions_and_empty_output_are_read_too()
    {
        var array = "[" + string.Join(',', "{\"dev\":\"region3\",\"size\":1073741824,\"available_size\":1056964608}") + "]";

        Assert.Equal("region3", Assert.Single(NdctlOutput.ParseRegions(array)).Dev);
        Assert.Empty(NdctlOutput.ParseRegions(" \n"));
    }

    [Fact]
    public void I_can_read_what_create_namespace_prints_for_fsdax_and_devdax()
    {
        var fsdax = NdctlOutput.ParseNamespace(Fixtures.Qemu("first-boot-create/create-fsdax-ext4.json"));
        var devdax = NdctlOutput.ParseNamespace(Fixtures.Qemu("first-boot-create/create-devdax-2M.json"));

        Assert.Equal(("namespace0.0", "pmem0", "store-ext4"), (fsdax.Dev, fsdax.BlockDevice, fsdax.Name));
        Assert.Equal(("namespace0.2", "dax0.2", 130023424UL), (devdax.Dev, devdax.CharDevice, devdax.Size));
    }

    [Fact]
    public void Sizes_printed_for_people_are_refused_with_a_clear_error()
    {
        var error = Assert.Throws<NdctlOutputException>(() => NdctlOutput.ParseNamespace("{\"dev\":\"namespace0.0\",\"size\":\"502.00 MiB (526.39 MB)\"}"));

        Assert.Contains("ndctl", error.Message, StringComparison.Ordinal);
    }
}
