using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Namespaces;

/// <summary>
/// Kernels without ramdax: one nd_e820 region per namespace, converted from raw. The listings are the
/// Debian 12 guest's (ndctl 76, kernel 6.1): its 2 GiB region1 as nd_e820 made it ("fsdax", map
/// "mem", no uuid) and, after the agent converted it, as ndctl listed it; create-namespace prints a
/// namespace in the same form (the converted namespace object stands for its output).
/// </summary>
public sealed class NdE820ConversionTests : IDisposable
{
    private const string Guest = "qemu-debian12-6.1-nd_e820";

    private readonly FakeMachine _machine = new FakeMachine(driver: null).WithRegion("region1");

    private static string Unconverted => Fixtures.Read($"{Guest}/ndctl-list-BDRN-unconverted.json");

    private static string Converted => Fixtures.Read($"{Guest}/ndctl-list-BDRN-with-sysfs.json");

    // The converted namespace1.0 alone, as create-namespace -e prints it.
    private static string ConvertedNamespace
    {
        get
        {
            using var listing = System.Text.Json.JsonDocument.Parse(Converted);
            return listing.RootElement[0].GetProperty("regions").EnumerateArray()
                .Single(r => r.GetProperty("dev").GetString() == "region1")
                .GetProperty("namespaces")[0].GetRawText();
        }
    }

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task A_raw_nd_e820_namespace_is_converted_then_formatted_and_mounted()
    {
        var tools = GuestTools.For(_machine, mounted: "/dev/pmem1")
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region1"], Unconverted)
            .Ok(ExternalTools.Ndctl, ["create-namespace", "-e"], ConvertedNamespace)
            .BlankUntilMkfs("/dev/pmem1");
        var planned = TestPlans.StoreExt4(size: 2 * ByteSize.GiB) with { UsableSize = NamespaceCapacity.Usable(2 * ByteSize.GiB, 2 * ByteSize.MiB) };

        var report = await BootReconciler.RunAsync(TestPlans.Make(DriverKind.NdE820, TestPlans.Carveout, planned), _machine.Context(tools));

        Assert.Equal("modprobe -a nd_e820 nd_pmem dax_pmem device_dax", tools.Calls[0]);
        Assert.Equal(["ndctl create-namespace -e namespace1.0 -m fsdax -a 2097152 -f"], tools.CallsStartingWith("ndctl create-namespace"));
        Assert.Single(tools.CallsStartingWith("mkfs.ext4"));
        // nd_e820's namespaces carry no name, so no /dev/ramdax link: the unit mounts the device node.
        Assert.Single(tools.CallsStartingWith("systemd-mount"), c => c.EndsWith(" /dev/pmem1 /mnt/e", StringComparison.Ordinal));
        Assert.True(report.AllInPlace, BootReconcilerTests.Describe(report));
    }

    [Fact]
    public async Task A_raw_nd_e820_namespace_with_data_is_not_converted_without_wipe()
    {
        var tools = GuestTools.For(_machine, mounted: "/dev/pmem1")
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region1"], Unconverted)
            .Ok(ExternalTools.Blkid, [], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));

        var report = await BootReconciler.RunAsync(TestPlans.Make(DriverKind.NdE820, TestPlans.Carveout, TestPlans.StoreExt4(size: 2 * ByteSize.GiB)), _machine.Context(tools));

        Assert.Empty(tools.CallsStartingWith("ndctl create-namespace"));
        var item = BootReconcilerTests.Find(report, ItemKind.Namespace, "store-ext4");
        Assert.Equal(ItemState.Drifted, item.State);
        Assert.Contains("wipe: true", item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_already_converted_nd_e820_namespace_is_reused_on_a_warm_boot()
    {
        var tools = GuestTools.For(_machine, mounted: "/dev/pmem1")
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region1"], Converted)
            .Ok(ExternalTools.Blkid, [], Fixtures.Qemu("first-boot-create/blkid-ext4.txt"));
        var planned = TestPlans.StoreExt4(size: 2 * ByteSize.GiB);

        var report = await BootReconciler.RunAsync(TestPlans.Make(DriverKind.NdE820, TestPlans.Carveout, planned), _machine.Context(tools));

        Assert.Empty(tools.CallsStartingWith("ndctl create-namespace"));
        Assert.Empty(tools.CallsStartingWith("mkfs"));
        Assert.Equal(ItemState.Ok, BootReconcilerTests.Find(report, ItemKind.Namespace, "store-ext4").State);
        Assert.True(report.AllInPlace, BootReconcilerTests.Describe(report));
    }
}
