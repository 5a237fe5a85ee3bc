using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;
using RamDax.Provision.Status;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Status;

public sealed class StatusReaderTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_wanted_arguments_are_split_into_running_and_missing_and_owned_ones_left_running_are_stale()
    {
        new StateStore(_root.Root).Write(ProvisionState.Empty with
        {
            InstanceId = "iid-e2e-0001",
            KernelArguments = new KernelArgumentState
            {
                Wanted = ["memmap=2G!4G", "modprobe.blacklist=nd_e820"],
                Owned = ["memmap=2G!4G", "modprobe.blacklist=nd_e820", "memmap=1G!8G"],
                Backend = BootloaderKind.Grub,
                Files = ["/etc/default/grub.d/ramdax-provision.cfg"],
                Reboot = RebootState.Pending,
            },
        });
        _root.Write("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro memmap=2G!4G memmap=1G!8G\n");
        var tools = new FakeToolRunner();

        var status = StatusReader.Read(_root.Root, tools);

        Assert.Equal("iid-e2e-0001", status.InstanceId);
        Assert.Equal<string>(["memmap=2G!4G", "modprobe.blacklist=nd_e820"], status.KernelArguments.Wanted);
        Assert.Equal<string>(["memmap=2G!4G"], status.KernelArguments.Running);
        Assert.Equal<string>(["modprobe.blacklist=nd_e820"], status.KernelArguments.Missing);
        Assert.Equal<string>(["memmap=1G!8G"], status.KernelArguments.StaleRunning);
        Assert.Equal("grub", status.KernelArguments.Backend);
        Assert.Equal<string>(["/etc/default/grub.d/ramdax-provision.cfg"], status.KernelArguments.Files);
        Assert.Equal(RebootState.Pending, status.KernelArguments.Reboot);
        Assert.Null(status.LastRun);
        Assert.Null(status.Reconcile);
        Assert.Empty(tools.Calls);
    }

    [Fact]
    public void Before_the_first_run_nothing_is_wanted_and_the_backend_is_the_one_detected()
    {
        _root.Write("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"\"\n").Write("/usr/sbin/update-grub", "");
        var tools = new FakeToolRunner();

        var status = StatusReader.Read(_root.Root, tools);

        Assert.Null(status.InstanceId);
        Assert.Empty(status.KernelArguments.Wanted);
        Assert.Empty(status.KernelArguments.Running);
        Assert.Empty(status.KernelArguments.Missing);
        Assert.Equal("grub (detected)", status.KernelArguments.Backend);
        Assert.Equal(RebootState.NotNeeded, status.KernelArguments.Reboot);
        Assert.Empty(tools.Calls);
    }

    [Fact]
    public void The_report_of_this_boots_reconcile_is_part_of_the_status()
    {
        var finished = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var written = new ReconcileReport(DriverKind.Ramdax, finished, [new ReconcileItem(ItemKind.Namespace, "store", "namespace0.0", ItemState.Created, "made")]);
        _root.Write(ReconcileReport.StatusPath, BootReconciler.ToJson(written));

        var report = StatusReader.Read(_root.Root, new FakeToolRunner()).Reconcile;

        Assert.NotNull(report);
        Assert.Equal((DriverKind.Ramdax, finished), (report.Driver, report.FinishedAt));
        Assert.Equal<ReconcileItem>(written.Items, report.Items);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"driver\": \"ramdax\", \"finished_at\": \"2026-01-01T00:00:00Z\", \"items\": [null]}")]
    [InlineData("{\"format\": 9, \"driver\": \"ramdax\", \"finished_at\": \"2026-01-01T00:00:00Z\", \"items\": []}")]
    public void A_damaged_status_file_is_an_error_for_status(string json)
    {
        _root.Write("/run/ramdax-provision/status.json", json);

        var e = Assert.Throws<StateDamagedException>(() => ReconcileReport.Read(_root.Root));

        Assert.Contains("status.json", e.Message, StringComparison.Ordinal);
    }
}
