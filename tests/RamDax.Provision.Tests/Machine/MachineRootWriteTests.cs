using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Apply;
using RamDax.Provision.Boot;
using RamDax.Provision.Machine;
using RamDax.Provision.Output;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Machine;

/// <summary>
/// Under <c>--root</c> (an image build) a symbolic link in the image never makes the agent write on
/// the build host: every path is resolved inside the root. The "host" is a second temp directory
/// the links point at; it must stay empty.
/// </summary>
public sealed class MachineRootWriteTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly TempRoot _hostDirectory = new("ramdax-host-");

    // A directory of the host, outside the root, that links in the root point to.
    private string HostPath => _hostDirectory.Path;

    public void Dispose()
    {
        _root.Dispose();
        _hostDirectory.Dispose();
    }

    [Theory]
    [InlineData(StateStore.StatePath)]
    [InlineData(PlanRecord.PlanPath)]
    [InlineData(ApplyLock.LockPath)]
    [InlineData(ReconcileReport.StatusPath)]
    [InlineData(GrubDropIn.DropInPath)]
    [InlineData(KernelInstallCmdline.CmdlinePath)]
    [InlineData(MetricsSettings.DefaultTextfile)]
    public void A_directory_linked_to_an_absolute_host_path_is_taken_inside_the_root(string absolute)
    {
        var directory = Path.GetDirectoryName(absolute)!;
        Link(directory, HostPath);

        var path = _root.Root.ResolveForWrite(absolute);

        Assert.Equal(Path.Join(_root.Path, HostPath, Path.GetFileName(absolute)), path);
    }

    [Theory]
    [InlineData(StateStore.StatePath)]
    [InlineData(GrubDropIn.DropInPath)]
    [InlineData(KernelInstallCmdline.CmdlinePath)]
    public void Dot_dot_in_a_link_cannot_climb_above_the_root(string absolute)
    {
        var directory = Path.GetDirectoryName(absolute)!;
        Link(directory, "../../../../../../../.." + HostPath);

        var path = _root.Root.ResolveForWrite(absolute);

        Assert.Equal(Path.Join(_root.Path, HostPath, Path.GetFileName(absolute)), path);
    }

    [Fact]
    public void The_state_and_the_owned_arguments_land_inside_the_root_through_a_linked_state_directory()
    {
        Link("/var/lib/ramdax-provision", HostPath);

        new StateStore(_root.Root).Write(ProvisionState.Empty with { KernelArguments = ProvisionState.Empty.KernelArguments with { Owned = ["memmap=2G!5G"] } });

        Assert.Empty(Directory.EnumerateFileSystemEntries(HostPath));
        Assert.Equal("memmap=2G!5G\n", File.ReadAllText(Path.Join(_root.Path, HostPath, "kernel-arguments")));
        Assert.True(File.Exists(Path.Join(_root.Path, HostPath, "state.json")));
    }

    [Fact]
    public void A_plan_json_linked_to_a_host_file_is_written_inside_the_root()
    {
        var hostFile = Path.Join(HostPath, "plan.json");
        File.WriteAllText(hostFile, "host\n");
        Link(PlanRecord.PlanPath, hostFile);
        var plan = new PlanRecord(new MachineRoot(Fixtures.PathTo("roots/converged-6G"))).Read()!;

        new PlanRecord(_root.Root).Write(plan);

        Assert.Equal("host\n", File.ReadAllText(hostFile));
        Assert.Contains("\"e2e-ext4\"", File.ReadAllText(Path.Join(_root.Path, hostFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_lock_and_the_status_file_stay_inside_the_root_through_a_linked_run_directory()
    {
        Link("/run", HostPath);

        using (ApplyLock.Acquire(_root.Root))
        {
            new MachineWriter(_root.Root).WriteFileIfChanged(ReconcileReport.StatusPath, "{}\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(HostPath));
        Assert.True(File.Exists(Path.Join(_root.Path, HostPath, "ramdax-provision", "lock")));
        Assert.Equal("{}\n", File.ReadAllText(Path.Join(_root.Path, HostPath, "ramdax-provision", "status.json")));
    }

    [Fact]
    public void A_lock_file_linked_to_a_host_file_leaves_the_host_file_alone()
    {
        var hostFile = Path.Join(HostPath, "lock");
        Link(ApplyLock.LockPath, hostFile);

        using (ApplyLock.Acquire(_root.Root))
        {
            Assert.False(File.Exists(hostFile));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(HostPath));
    }

    [Fact]
    public void A_mount_point_below_a_linked_directory_is_made_inside_the_root()
    {
        Link("/mnt", HostPath);

        new MachineWriter(_root.Root).CreateDirectory("/mnt/fast");

        Assert.Empty(Directory.EnumerateFileSystemEntries(HostPath));
        Assert.True(Directory.Exists(Path.Join(_root.Path, HostPath, "fast")));
    }

    [Fact]
    public void A_link_loop_on_the_way_is_refused_naming_the_path()
    {
        Link("/var/lib/ramdax-provision", "/var/lib/loop");
        Link("/var/lib/loop", "/var/lib/ramdax-provision");

        var e = Assert.Throws<MachineWriteRefusedException>(() => new StateStore(_root.Root).Write(ProvisionState.Empty));

        Assert.Contains($"cannot write {_root.Root.Resolve("/var/lib/ramdax-provision/")}", e.Message, StringComparison.Ordinal);
        Assert.Contains("a link loop?", e.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.CannotCreate, e.ExitCode);
    }

    [Fact]
    public void On_the_host_root_a_path_is_written_as_it_is()
    {
        Assert.Equal("/etc/kernel/cmdline", MachineRoot.Host.ResolveForWrite(KernelInstallCmdline.CmdlinePath));
    }

    [Theory]
    [InlineData("../../../etc")]
    [InlineData("7.3.4/../../../../tmp")]
    [InlineData("..")]
    [InlineData("")]
    public void A_kernel_release_that_would_lead_out_of_lib_modules_is_refused(string release)
    {
        _root.Machine(TempRoot.Qemu6G);
        _root.Write(KernelCapabilities.ReleasePath, release + "\n");

        var e = Assert.Throws<MachineReadException>(() => KernelCapabilities.Read(_root.Root));

        Assert.Contains(_root.Root.Resolve(KernelCapabilities.ReleasePath), e.Message, StringComparison.Ordinal);
        Assert.Contains("is not a kernel release", e.Message, StringComparison.Ordinal);
    }

    private void Link(string absolute, string target)
    {
        var path = _root.Root.Resolve(absolute);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }
}
