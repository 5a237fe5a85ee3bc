using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Files;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Devdax;
using RamDax.Provision.Reconcile.Namespaces;
using RamDax.Provision.Tests.Reconcile.Support;
using RamDax.Provision.Tests.Support;
using RamDax.Provision.Tools;
using static RamDax.Provision.Tests.Reconcile.BootReconcilerTests;

namespace RamDax.Provision.Tests.Reconcile.Devdax;

public sealed class DeviceAccessReconcilerTests : IDisposable
{
    private const string Rules = "/etc/udev/rules.d/70-ramdax-provision.rules";

    private readonly FakeMachine _machine = new FakeMachine(driver: null).WithRegion();

    public void Dispose() => _machine.Dispose();

    [Fact]
    public async Task The_devdax_device_gets_its_access_from_a_generated_udev_rule_that_is_re_triggered_and_checked()
    {
        var tools = GuestTools.For(_machine)
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"));

        var report = await BootReconciler.RunAsync(TestPlans.Ramdax(TestPlans.SmallDev()), _machine.Context(tools));

        var rules = _machine.Read("/etc/udev/rules.d/70-ramdax-provision.rules");
        Assert.Contains("SUBSYSTEM==\"dax\", KERNEL==\"dax0.2\", OWNER=\"root\", GROUP=\"kvm\", MODE=\"0660\"", rules, StringComparison.Ordinal);
        Assert.Contains("udevadm control --reload", tools.Calls);
        Assert.Contains("udevadm trigger --action=change --settle /dev/dax0.2", tools.Calls);
        Assert.Empty(tools.CallsStartingWith("chmod"));
        var device = Find(report, ItemKind.Device, "small-dev");
        Assert.Equal(ItemState.Created, device.State);
        Assert.Equal("/dev/dax0.2", device.Target);
    }

    [Fact]
    public async Task A_devdax_device_whose_node_keeps_other_access_is_reported_failed()
    {
        var tools = GuestTools.For(_machine)
            .Ok(ExternalTools.Ndctl, ["list", "-R", "-N", "-r", "region0"], Fixtures.Qemu("first-boot-create/ndctl-list-RN-after-create.json"))
            // Another rule wins: the re-trigger leaves the node as the kernel made it.
            .On(ExternalTools.Udevadm, a => a[0] == "trigger", a =>
            {
                _machine.MakeNode("/dev/dax0.2");
                return FakeToolRunner.Result(ExternalTools.Udevadm, a, 0);
            });

        var report = await BootReconciler.RunAsync(TestPlans.Ramdax(TestPlans.SmallDev()), _machine.Context(tools));

        var device = Find(report, ItemKind.Device, "small-dev");
        Assert.Equal(ItemState.Failed, device.State);
        Assert.Contains("root:root 0600", device.Reason, StringComparison.Ordinal);
        Assert.False(report.AllInPlace);
        // Re-triggered a few times (udev may still be busy with the device) before it counts as failed.
        Assert.Equal(4, tools.CallsStartingWith("udevadm trigger").Count);
    }

    [Fact]
    public async Task A_node_udev_gets_to_only_on_a_later_re_trigger_is_in_place()
    {
        var outcomes = new[] { InPlace(TestPlans.SmallDev(), "namespace0.2", "dax0.2") };
        var triggers = 0;
        var tools = new FakeToolRunner()
            .Ok(ExternalTools.Udevadm, ["control", "--reload"])
            // The first re-trigger comes while udev is still busy: the node stays as the kernel made it.
            .On(ExternalTools.Udevadm, a => a[0] == "trigger", a =>
            {
                if (++triggers == 1)
                {
                    _machine.MakeNode("/dev/dax0.2");
                }
                else
                {
                    _machine.ApplyUdevRule("/dev/dax0.2");
                }

                return FakeToolRunner.Result(ExternalTools.Udevadm, a, 0);
            });

        var item = Assert.Single(await DeviceAccessReconciler.ReconcileAsync([.. outcomes], _machine.Context(tools), default));

        Assert.Equal(ItemState.Created, item.State);
        Assert.Equal(2, triggers);
    }

    [Fact]
    public async Task Each_devdax_device_gets_its_own_rule_by_kernel_name_and_numeric_ids_are_matched_as_ids()
    {
        var vm = TestPlans.SmallDev() with { Name = "vm-dev", Device = new DeviceAccessSettings("0", "6", "0640") };
        var tools = GuestTools.For(_machine);

        var items = await DeviceAccessReconciler.ReconcileAsync(
            [InPlace(TestPlans.SmallDev(), "namespace0.2", "dax0.2"), InPlace(vm, "namespace0.3", "dax0.3")], _machine.Context(tools), default);

        Assert.Equal(
            [("small-dev", "/dev/dax0.2", ItemState.Created), ("vm-dev", "/dev/dax0.3", ItemState.Created)],
            items.Select(i => (i.Name, i.Target, i.State)));
        Assert.All(items, i => Assert.Equal(ItemKind.Device, i.Kind));
        var rules = _machine.Read(Rules);
        Assert.Contains("# namespace 'small-dev'\nSUBSYSTEM==\"dax\", KERNEL==\"dax0.2\", OWNER=\"root\", GROUP=\"kvm\", MODE=\"0660\"\n", rules, StringComparison.Ordinal);
        Assert.Contains("# namespace 'vm-dev'\nSUBSYSTEM==\"dax\", KERNEL==\"dax0.3\", OWNER=\"0\", GROUP=\"6\", MODE=\"0640\"", rules, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)Convert.ToInt32("0644", 8), FileOwnership.Read(_machine.Root.Resolve(Rules)).Mode);
        Assert.Equal(new FileOwnership(0, 6, (UnixFileMode)Convert.ToInt32("0640", 8)), FileOwnership.Read(_machine.Root.Resolve("/dev/dax0.3")));
        Assert.Equal(
            ["udevadm control --reload", "udevadm trigger --action=change --settle /dev/dax0.2", "udevadm trigger --action=change --settle /dev/dax0.3"],
            tools.Calls);
    }

    [Fact]
    public async Task A_second_run_finds_the_rule_and_the_nodes_access_in_place_and_runs_nothing()
    {
        var outcomes = new[] { InPlace(TestPlans.SmallDev(), "namespace0.2", "dax0.2") };
        await DeviceAccessReconciler.ReconcileAsync([.. outcomes], _machine.Context(GuestTools.For(_machine)), default);
        var written = File.GetLastWriteTimeUtc(_machine.Root.Resolve(Rules));
        var tools = GuestTools.For(_machine);

        var item = Assert.Single(await DeviceAccessReconciler.ReconcileAsync([.. outcomes], _machine.Context(tools), default));

        Assert.Equal(ItemState.Ok, item.State);
        Assert.Equal("root:kvm 0660 through /etc/udev/rules.d/70-ramdax-provision.rules", item.Reason);
        Assert.Empty(tools.Calls);
        Assert.Equal(written, File.GetLastWriteTimeUtc(_machine.Root.Resolve(Rules)));
    }

    [Fact]
    public async Task With_the_rule_in_place_a_node_udev_has_not_reached_yet_is_re_triggered()
    {
        var outcomes = new[] { InPlace(TestPlans.SmallDev(), "namespace0.2", "dax0.2") };
        await DeviceAccessReconciler.ReconcileAsync([.. outcomes], _machine.Context(GuestTools.For(_machine)), default);
        // The next boot's node, as the kernel makes it before udev has applied the rule.
        var node = _machine.MakeNode("/dev/dax0.2");
        FileOwnership.Set(node, 0, 0, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var tools = GuestTools.For(_machine);

        var item = Assert.Single(await DeviceAccessReconciler.ReconcileAsync([.. outcomes], _machine.Context(tools), default));

        Assert.Equal(ItemState.Ok, item.State);
        Assert.Equal(["udevadm trigger --action=change --settle /dev/dax0.2"], tools.Calls);
    }

    [Fact]
    public async Task A_device_whose_namespace_is_not_in_place_is_not_attempted()
    {
        var failed = new NamespaceOutcome(TestPlans.SmallDev(), null, new ReconcileItem(ItemKind.Namespace, "small-dev", null, ItemState.Failed, "create failed"));
        var tools = GuestTools.For(_machine);

        var item = Assert.Single(await DeviceAccessReconciler.ReconcileAsync([failed], _machine.Context(tools), default));

        Assert.Equal((ItemKind.Device, "small-dev", null, ItemState.Failed), (item.Kind, item.Name, item.Target, item.State));
        Assert.Equal("not attempted: namespace 'small-dev' is not in place (failed)", item.Reason);
        Assert.Empty(tools.CallsStartingWith("udevadm trigger"));
        Assert.DoesNotContain("KERNEL==", _machine.Read(Rules), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_devdax_namespace_without_a_character_device_fails_its_device()
    {
        var tools = GuestTools.For(_machine);

        var item = Assert.Single(await DeviceAccessReconciler.ReconcileAsync([InPlace(TestPlans.SmallDev(), "namespace0.2", null)], _machine.Context(tools), default));

        Assert.Equal(ItemState.Failed, item.State);
        Assert.Equal("ndctl reports no character device for namespace0.2", item.Reason);
        Assert.Empty(tools.CallsStartingWith("udevadm trigger"));
    }

    [Fact]
    public async Task Without_devdax_namespaces_or_an_earlier_rules_file_nothing_is_written_or_run()
    {
        var tools = new FakeToolRunner();
        var fsdax = new NamespaceOutcome(TestPlans.StoreExt4(), new NdctlNamespace("namespace0.0", "fsdax", 526385152, "store-ext4", "dce9f838-cb23-4463-a8cb-51052360179b", 2097152, "pmem0", null),
            new ReconcileItem(ItemKind.Namespace, "store-ext4", "namespace0.0", ItemState.Ok, "in place"));

        var items = await DeviceAccessReconciler.ReconcileAsync([fsdax], _machine.Context(tools), default);

        Assert.Empty(items);
        Assert.Empty(tools.Calls);
        Assert.False(_machine.Exists(Rules));
    }

    [Fact]
    public async Task The_rules_of_devices_no_longer_planned_are_removed_and_udev_reloaded()
    {
        _machine.Write(Rules, "SUBSYSTEM==\"dax\", KERNEL==\"dax0.2\", OWNER=\"root\", GROUP=\"kvm\", MODE=\"0660\"\n");
        var tools = GuestTools.For(_machine);

        var items = await DeviceAccessReconciler.ReconcileAsync([], _machine.Context(tools), default);

        Assert.Empty(items);
        Assert.DoesNotContain("KERNEL==", _machine.Read(Rules), StringComparison.Ordinal);
        Assert.Equal(["udevadm control --reload"], tools.Calls);
    }

    [Fact]
    public async Task A_rules_file_that_cannot_be_written_fails_every_device_and_re_triggers_none()
    {
        Directory.CreateDirectory(_machine.Root.Resolve(Rules));
        var vm = TestPlans.SmallDev() with { Name = "vm-dev" };
        var tools = GuestTools.For(_machine);

        var items = await DeviceAccessReconciler.ReconcileAsync(
            [InPlace(TestPlans.SmallDev(), "namespace0.2", "dax0.2"), InPlace(vm, "namespace0.3", "dax0.3")], _machine.Context(tools), default);

        Assert.Equal(["small-dev", "vm-dev"], items.Select(i => i.Name));
        Assert.All(items, i => Assert.Equal(ItemState.Failed, i.State));
        Assert.All(items, i => Assert.StartsWith("write /etc/udev/rules.d/70-ramdax-provision.rules failed: cannot write ", i.Reason, StringComparison.Ordinal));
        Assert.Empty(tools.Calls);
    }

    private static NamespaceOutcome InPlace(PlannedNamespace planned, string dev, string? chardev) =>
        new(planned, new NdctlNamespace(dev, "devdax", 130023424, planned.Name, "71ebfb28-0bab-468f-bc08-0ea0121f93e2", 2097152, null, chardev),
            new ReconcileItem(ItemKind.Namespace, planned.Name, dev, ItemState.Ok, "in place"));
}
