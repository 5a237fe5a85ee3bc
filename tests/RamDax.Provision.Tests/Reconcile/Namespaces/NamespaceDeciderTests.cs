using RamDax.Provision.Reconcile.Readers;
using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Namespaces;

public sealed class NamespaceDeciderTests
{
    private static readonly NdctlRegion AfterCreate = NdctlOutput.ParseRegions(Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"))[0];
    private static readonly NdctlRegion ColdBooted = NdctlOutput.ParseRegions(Fixtures.Qemu("cold-boot-after/ndctl-list-BDRN-at-boot.json"))[0];
    private static readonly MountTable Mounted = MountTable.Parse(Fixtures.Qemu("first-boot-create/mountinfo-dax.txt"));
    private static readonly MountTable NothingMounted = MountTable.Parse("");

    [Fact]
    public void The_usable_size_ndctl_reports_matches_the_planned_usable_size_of_every_captured_namespace()
    {
        // -s 512M, 256M fsdax and 128M devdax, all -a 2M: ndctl reports the size after the info block and page metadata.
        Assert.Null(NamespaceDecider.Difference(TestPlans.StoreExt4(), AfterCreate.Namespaces.Single(n => n.Name == "store-ext4")));
        Assert.Null(NamespaceDecider.Difference(TestPlans.StoreXfs(), AfterCreate.Namespaces.Single(n => n.Name == "store-xfs")));
        Assert.Null(NamespaceDecider.Difference(TestPlans.SmallDev(), AfterCreate.Namespaces.Single(n => n.Name == "small-dev")));
    }

    [Fact]
    public void A_namespace_one_size_step_larger_is_not_taken_for_the_planned_one()
    {
        var difference = NamespaceDecider.Difference(TestPlans.StoreExt4(size: 528 * ByteSize.MiB), AfterCreate.Namespaces.Single(n => n.Name == "store-ext4"));

        Assert.NotNull(difference);
        Assert.Contains("502M usable, not 518M (from -s 528M)", difference, StringComparison.Ordinal);
    }

    [Fact]
    public void A_namespace_with_another_size_is_left_alone_without_reconfigure()
    {
        var decision = Decide(AfterCreate, NothingMounted, TestPlans.StoreExt4(size: ByteSize.GiB));

        var drifted = Assert.IsType<NamespaceDecision.LeaveDrifted>(decision);
        Assert.Contains("reconfigure: true", drifted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_namespace_with_another_mode_and_reconfigure_is_recreated_when_nothing_is_mounted()
    {
        var decision = Decide(AfterCreate, NothingMounted, TestPlans.SmallDev(Provision.Configuration.Settings.NamespaceMode.Fsdax) with { Reconfigure = true });

        var recreate = Assert.IsType<NamespaceDecision.Recreate>(decision);
        Assert.Equal("namespace0.2", recreate.Existing.Dev);
        Assert.Contains("mode devdax, not fsdax", recreate.Drift, StringComparison.Ordinal);
    }

    [Fact]
    public void A_namespace_whose_filesystem_is_mounted_is_never_destroyed_even_with_reconfigure()
    {
        var decision = Decide(AfterCreate, Mounted, TestPlans.StoreExt4(size: ByteSize.GiB, reconfigure: true));

        var drifted = Assert.IsType<NamespaceDecision.LeaveDrifted>(decision);
        Assert.Contains("/dev/pmem0 is mounted at /mnt/e", drifted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_full_region_is_a_cold_boot_only_for_namespaces_that_existed_before()
    {
        var plan = TestPlans.Ramdax(TestPlans.StoreExt4(), TestPlans.SmallDev());
        var decisions = NamespaceDecider.Decide(DriverKind.Ramdax, new RegionFacts(ColdBooted, NothingMounted), plan.Namespaces, new HashSet<string> { "store-ext4" }).Decisions;

        Assert.True(Assert.IsType<NamespaceDecision.Create>(decisions[0]).AfterColdBoot);
        Assert.False(Assert.IsType<NamespaceDecision.Create>(decisions[1]).AfterColdBoot);
    }

    [Fact]
    public void A_missing_namespace_next_to_others_is_recreated_but_not_blamed_on_a_cold_boot()
    {
        var region = AfterCreate with { Namespaces = [.. AfterCreate.Namespaces.Where(n => n.Name != "store-ext4")] };

        var decision = Decide(region, NothingMounted, TestPlans.StoreExt4(), seenBefore: ["store-ext4"]);

        var create = Assert.IsType<NamespaceDecision.Create>(decision);
        Assert.False(create.AfterColdBoot);
        Assert.Contains("missing", create.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespaces_nobody_planned_are_reported_not_touched()
    {
        var result = NamespaceDecider.Decide(DriverKind.Ramdax, new RegionFacts(AfterCreate, NothingMounted), [TestPlans.StoreExt4()], new HashSet<string>());

        Assert.Equal(["small-dev", "store-xfs"], result.Unplanned.Select(n => n.Name).Order());
    }

    private static NamespaceDecision Decide(NdctlRegion region, MountTable mounts, PlannedNamespace planned, string[]? seenBefore = null) =>
        Assert.Single(NamespaceDecider.Decide(DriverKind.Ramdax, new RegionFacts(region, mounts), [planned], (seenBefore ?? []).ToHashSet()).Decisions);

    // The Debian 12 guest (kernel 6.1, ndctl 76), right after boot with three memmap= ranges and nd_e820 bound:
    // every namespace is listed as fsdax, map "mem", no uuid, the whole range as its size.
    private static readonly ImmutableArray<NdctlRegion> Debian12Unconverted =
        NdctlOutput.ParseRegions(Fixtures.Read("qemu-debian12-6.1-nd_e820/ndctl-list-BDRN-unconverted.json"));

    [Fact]
    public void Every_namespace_nd_e820_made_on_the_6_1_kernel_counts_as_unconverted_although_ndctl_says_fsdax()
    {
        var namespaces = Debian12Unconverted.SelectMany(r => r.Namespaces).ToList();

        Assert.Equal(3, namespaces.Count);
        Assert.All(namespaces, n => Assert.Equal("fsdax", n.Mode));
        Assert.All(namespaces, n => Assert.True(n.IsUnconverted, n.Dev));
        Assert.False(AfterCreate.Namespaces.Single(n => n.Name == "store-ext4").IsUnconverted);
    }

    [Fact]
    public void An_unconverted_blank_nd_e820_namespace_of_the_6_1_kernel_is_converted_not_left_as_drifted()
    {
        var region = Debian12Unconverted.Single(r => r.Dev == "region1");
        var existing = region.Namespaces.Single();
        var planned = TestPlans.StoreExt4(size: 2 * ByteSize.GiB) with { UsableSize = NamespaceCapacity.Usable(2 * ByteSize.GiB, 2 * ByteSize.MiB) };
        var facts = new RegionFacts(region, NothingMounted, ImmutableDictionary<string, BlkidSignature>.Empty.Add(existing.DevicePath!, BlkidSignature.Blank));

        var decision = Assert.Single(NamespaceDecider.Decide(DriverKind.NdE820, facts, [planned], new HashSet<string>()).Decisions);

        var convert = Assert.IsType<NamespaceDecision.Convert>(decision);
        Assert.Equal("namespace1.0", convert.Existing.Dev);
    }
}
