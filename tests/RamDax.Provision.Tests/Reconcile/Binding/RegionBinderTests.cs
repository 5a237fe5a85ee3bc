using RamDax.Provision.Reconcile.Readers;
using Microsoft.Extensions.Time.Testing;
using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Binding;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Binding;

public sealed class RegionBinderTests : IDisposable
{
    private readonly FakeMachine _machine = new(driver: "e820_pmem");

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task nd_e820_is_released_when_none_of_its_devices_is_mounted()
    {
        _machine.WithRegion();
        var tools = GuestTools.For(_machine).Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"));

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(tools), default);

        Assert.Equal("e820_pmem", _machine.Read("/sys/bus/platform/drivers/e820_pmem/unbind"));
        Assert.Equal("ramdax", _machine.Read("/sys/bus/platform/devices/e820_pmem/driver_override"));
        Assert.Equal("e820_pmem", _machine.Read("/sys/bus/platform/drivers_probe"));
        Assert.Equal(ItemState.Created, result.Driver.State);
        Assert.Contains("released from nd_e820", result.Driver.Reason, StringComparison.Ordinal);
        Assert.Equal("region0", result.Carveouts[0].Region!.Name);
    }

    [Fact]
    public async Task nd_e820_is_not_released_while_one_of_its_devices_is_mounted()
    {
        _machine.WithRegion().WithMountInfo(Fixtures.Qemu("first-boot-create/mountinfo-dax.txt"));
        var tools = GuestTools.For(_machine).Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"));

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(tools), default);

        Assert.Equal("", _machine.Read("/sys/bus/platform/drivers/e820_pmem/unbind"));
        Assert.Equal("", _machine.Read("/sys/bus/platform/devices/e820_pmem/driver_override"));
        Assert.Empty(tools.CallsStartingWith("modprobe"));
        Assert.Equal(ItemState.Failed, result.Driver.State);
        Assert.Contains("/dev/pmem0 is mounted at /mnt/e", result.Driver.Reason, StringComparison.Ordinal);
        Assert.All(result.Carveouts, c => Assert.Equal(ItemState.Failed, c.Item.State));
    }

    [Fact]
    public async Task Nothing_is_written_when_ramdax_already_holds_the_device()
    {
        _machine.SetDriver("ramdax");
        _machine.WithRegion().WithNamespaceDrivers();
        var tools = new FakeToolRunner();

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(tools), default);

        Assert.Empty(tools.Calls);
        Assert.Equal(ItemState.Ok, result.Driver.State);
        Assert.Equal(ItemState.Ok, result.Carveouts[0].Item.State);
    }

    [Fact]
    public async Task The_region_is_found_by_its_address_not_by_its_index()
    {
        _machine.SetDriver("ramdax");
        _machine.WithNamespaceDrivers();
        _machine.WithRegion("region0", start: 0x8000_0000, size: ByteSize.GiB).WithRegion("region1");

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(new FakeToolRunner()), default);

        Assert.Equal("region1", result.Carveouts[0].Region!.Name);
    }

    [Fact]
    public async Task A_region_of_another_size_at_the_planned_address_is_an_error_naming_both_sizes()
    {
        _machine.SetDriver("ramdax");
        _machine.WithNamespaceDrivers();
        _machine.WithRegion(size: ByteSize.GiB);

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(new FakeToolRunner()), default);

        var item = result.Carveouts[0].Item;
        Assert.Equal(ItemState.Failed, item.State);
        Assert.Null(result.Carveouts[0].Region);
        Assert.Contains("region0 at 0x100000000 is 1G, the plan wants 2G", item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kernel_without_the_carve_out_is_told_to_reboot_with_the_arguments()
    {
        Directory.Delete(_machine.Root.Resolve("/sys/bus/platform/devices/e820_pmem"), recursive: true);

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(new FakeToolRunner()), default);

        Assert.Equal(ItemState.Failed, result.Driver.State);
        Assert.Contains("/proc/cmdline", result.Driver.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regions_that_appear_late_are_waited_for()
    {
        _machine.SetDriver("ramdax");
        _machine.WithNamespaceDrivers();
        var time = new FakeTimeProvider();
        var options = new ReconcileOptions { RegionWait = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromSeconds(1) };
        var binding = RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(new FakeToolRunner(), time, options), default);

        for (var second = 1; !binding.IsCompleted && second < 100; second++)
        {
            if (second == 3)
            {
                _machine.WithRegion();
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        var result = await binding;
        Assert.Equal(ItemState.Ok, result.Carveouts[0].Item.State);
    }

    [Fact]
    public async Task Regions_that_never_appear_fail_after_the_bounded_wait()
    {
        _machine.SetDriver("ramdax");
        _machine.WithNamespaceDrivers();
        var time = new FakeTimeProvider();
        var started = time.GetUtcNow();
        var options = new ReconcileOptions { RegionWait = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromSeconds(1) };
        var binding = RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(new FakeToolRunner(), time, options), default);

        for (var second = 1; !binding.IsCompleted && second < 100; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        var result = await binding;
        Assert.Equal(ItemState.Failed, result.Carveouts[0].Item.State);
        Assert.Contains("no nd region starts at 0x100000000", result.Carveouts[0].Item.Reason, StringComparison.Ordinal);
        Assert.InRange(time.GetUtcNow() - started, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task A_kernel_without_ramdax_loads_nd_e820()
    {
        _machine.SetDriver(null);
        _machine.WithRegion();
        var tools = GuestTools.For(_machine);

        var result = await RegionBinder.BindAsync(TestPlans.Make(DriverKind.NdE820, TestPlans.Carveout), _machine.Context(tools), default);

        Assert.Equal("modprobe -a nd_e820 nd_pmem dax_pmem device_dax", tools.Calls[0]);
        Assert.Equal("", _machine.Read("/sys/bus/platform/devices/e820_pmem/driver_override"));
        Assert.Equal(ItemState.Created, result.Driver.State);
        // The bind is judged by the link to nd_e820's driver, e820_pmem; the item keeps the module's name.
        Assert.Equal("e820_pmem", PlatformDevice.Read(_machine.Root).Driver);
        Assert.Equal("nd_e820", result.Driver.Name);
        Assert.True(result.Driver.InPlace, result.Driver.Reason);
    }

    // Debian 12's 6.1 kernel: nd_e820's platform driver is named e820_pmem, like the device, so the
    // device's driver link ends in drivers/e820_pmem (a run that expected drivers/nd_e820 refused
    // to go on there: "e820_pmem is held by 'e820_pmem', not nd_e820").
    [Fact]
    public async Task A_device_nd_e820_holds_under_its_driver_name_e820_pmem_is_already_bound()
    {
        _machine.SetDriver("e820_pmem");
        _machine.WithRegion();
        var tools = GuestTools.For(_machine);

        var result = await RegionBinder.BindAsync(TestPlans.Make(DriverKind.NdE820, TestPlans.Carveout), _machine.Context(tools), default);

        Assert.Equal(ItemState.Ok, result.Driver.State);
        Assert.Equal("nd_e820", result.Driver.Name);
        Assert.Equal("nd_e820 already holds e820_pmem", result.Driver.Reason);
        // udev loaded nd_e820 by its alias; the namespace drivers are loaded here, not left to udev's coldplug.
        Assert.Equal(["modprobe -a nd_pmem dax_pmem device_dax"], tools.Calls);
    }

    [Fact]
    public async Task A_device_held_already_gets_only_the_namespace_drivers_that_are_not_loaded()
    {
        _machine.SetDriver("ramdax");
        _machine.WithRegion().WithNamespaceDrivers(["nd_pmem"]);
        var tools = GuestTools.For(_machine);

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(tools), default);

        Assert.Equal(["modprobe -a dax_pmem device_dax"], tools.Calls);
        Assert.Equal(ItemState.Ok, result.Driver.State);
        Assert.Empty(PlatformDevice.MissingNamespaceDrivers(_machine.Root));
    }

    [Fact]
    public async Task A_namespace_driver_the_kernel_lacks_is_a_warning_once_the_device_is_held()
    {
        _machine.SetDriver("ramdax");
        _machine.WithRegion().WithNamespaceDrivers(["nd_pmem"]);
        var tools = new FakeToolRunner().On(ExternalTools.Modprobe, _ => true,
            a => FakeToolRunner.Result(ExternalTools.Modprobe, a, 1, stderr: "modprobe: FATAL: Module dax_pmem not found in directory /lib/modules/7.3.4+deb13-amd64"));

        var result = await RegionBinder.BindAsync(TestPlans.Ramdax(), _machine.Context(tools), default);

        Assert.Equal(ItemState.Ok, result.Driver.State);
        Assert.Equal(ItemState.Ok, result.Carveouts[0].Item.State);
        Assert.Contains(_machine.LogLines, l => l.Contains("Module dax_pmem not found", StringComparison.Ordinal)
            && l.Contains("e820_pmem is held already", StringComparison.Ordinal));
    }

}
