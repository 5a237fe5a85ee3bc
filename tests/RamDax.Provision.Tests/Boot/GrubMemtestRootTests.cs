using RamDax.Provision.Boot;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Support;
using static RamDax.Provision.Tests.Support.ApplyHarness;

namespace RamDax.Provision.Tests.Boot;

/// <summary>apply on a Debian root with memtest86+'s menu script and the real update-grub.</summary>
public sealed class GrubMemtestRootTests
{
    [HostFact(true, "mount", "umount", "chroot", "update-grub", "grub-mkconfig", "grub-probe", "dpkg-deb")]
    public async Task With_memtest86_in_the_menu_apply_reboots_once_and_converges_after_the_reboot()
    {
        using var root = new GrubTestRoot();
        root.InstallMemtest86Plus();
        var runner = FakeToolRunner.WithRealChroot();

        var (first, _) = await RunApply(root, runner);

        var menu = File.ReadAllText(root.Combine("boot/grub/grub.cfg"));
        Assert.Contains("linux\t/boot/memtest86+x64.bin console=ttyS0,115200", menu, StringComparison.Ordinal);
        Assert.Equal(RunResult.Rebooting, first.Result);
        Assert.All(root.GrubCfgNormalLines(), l => Assert.Equal(Wanted2G, l.Where(a => Wanted2G.Contains(a))));

        root.BootFromGrubCfg();
        var (second, output) = await RunApply(root, runner);

        Assert.True(second.Result == RunResult.Converged, output);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(1, runner.Reboots);
        Assert.Equal(RebootState.NotNeeded, ReadState(root).KernelArguments.Reboot);
        Assert.True(new GrubDropIn(new BootTools(root.Machine, runner)).IsConfigured(KernelArgumentTarget.From(Wanted2G, [])));
    }
}
