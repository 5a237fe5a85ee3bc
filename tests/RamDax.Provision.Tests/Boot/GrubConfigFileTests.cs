using RamDax.Provision.Boot;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Boot;

/// <summary>Which entries of a grub.cfg the GRUB backend judges: the installed kernels', nothing else.</summary>
public sealed class GrubConfigFileTests : IDisposable
{
    private const string Kernel = "vmlinuz-7.3.4+deb13-amd64";
    private const string EmptyOsProberSection = "### BEGIN /etc/grub.d/30_os-prober ###\n### END /etc/grub.d/30_os-prober ###\n";

    private static readonly KernelArgumentTarget Wanted = KernelArgumentTarget.From(["memmap=2G!5G", "modprobe.blacklist=nd_e820"], []);

    private readonly TempRoot _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The real BIOS grub.cfg with memtest86+, with a constructed os-prober section in place of its empty one.</summary>
    private static string Menu
    {
        get
        {
            var captured = Fixtures.Read("grub-memtest86+-6.10/grub-cfg-bios.cfg");
            Assert.Contains(EmptyOsProberSection, captured, StringComparison.Ordinal);
            return captured.Replace(EmptyOsProberSection, Fixtures.Constructed("grub/30_os-prober-section.cfg"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("grub-cfg-bios.cfg", "linux", "/boot/memtest86+x64.bin")]
    [InlineData("grub-cfg-efivars.cfg", "linuxefi", "/boot/memtest86+x64.efi")]
    public void The_real_grub_cfg_with_memtest86_is_judged_by_the_kernel_entries_alone(string capture, string command, string memtest)
    {
        var menu = Fixtures.Read($"grub-memtest86+-6.10/{capture}");
        Assert.Contains($"{command}\t{memtest} console=ttyS0,115200\n", menu, StringComparison.Ordinal);

        var lines = GrubConfigFile.NormalLinuxLines(menu, new HashSet<string> { Kernel });

        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(KernelArgumentEdit.Carries(l, Wanted), string.Join(' ', l)));
    }

    [Fact]
    public void Only_the_normal_entries_of_the_installed_kernel_are_judged_not_memtest_nor_os_prober()
    {
        var lines = GrubConfigFile.NormalLinuxLines(Menu, new HashSet<string> { Kernel });

        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(KernelArgumentEdit.Carries(l, Wanted), string.Join(' ', l)));
        Assert.DoesNotContain(lines, l => l.Contains("quiet"));
    }

    [Fact]
    public void The_uefi_guests_grub_cfg_with_memtest86_and_a_real_os_prober_entry_is_judged_by_its_kernel_entries_alone()
    {
        var menu = Fixtures.Read("qemu-debian13-7.3.4-uefi-os-prober/grub.cfg");
        Assert.Contains("\tlinux /boot/vmlinuz-6.1.0-otherix root=/dev/vdd1\n", menu, StringComparison.Ordinal);
        Assert.Contains("\tlinux /boot/memtest86+x64.efi \n", menu, StringComparison.Ordinal);

        var lines = GrubConfigFile.NormalLinuxLines(menu, new HashSet<string> { Kernel });

        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(KernelArgumentEdit.Carries(l, Wanted), string.Join(' ', l)));
        // The other system's kernel is judged by nobody, even if a kernel of that name were installed here.
        Assert.Empty(GrubConfigFile.NormalLinuxLines(menu, new HashSet<string> { "vmlinuz-6.1.0-otherix" }));
    }

    [Fact]
    public void A_kernel_that_is_not_installed_has_no_entries_to_judge()
    {
        Assert.Empty(GrubConfigFile.NormalLinuxLines(Menu, new HashSet<string> { "vmlinuz-6.12.0-1-amd64" }));
    }

    [Fact]
    public void The_installed_kernels_are_the_vmlinuz_files_of_the_roots_boot()
    {
        _temp.Write($"/boot/{Kernel}", "").Write("/boot/memtest86+x64.efi", "").Write("/boot/memtest86+x64.bin", "")
            .Write("/boot/initrd.img-7.3.4+deb13-amd64", "").Write("/boot/config-7.3.4+deb13-amd64", "");

        Assert.Equal([Kernel], GrubConfigFile.InstalledKernels(_temp.Root));
    }

    [Fact]
    public void The_grub_backend_is_configured_when_memtest_and_os_prober_entries_lack_the_arguments()
    {
        _temp.Write(GrubDropIn.DropInPath, GrubDropIn.Render(Wanted.Wanted)!)
            .Write("/boot/grub/grub.cfg", Menu)
            .Write($"/boot/{Kernel}", "")
            .Write("/boot/memtest86+x64.efi", "");

        var grub = new GrubDropIn(new BootTools(_temp.Root, FakeToolRunner.WithRealChroot()));

        Assert.True(grub.IsConfigured(Wanted));
        Assert.False(grub.IsConfigured(KernelArgumentTarget.From(["memmap=1G!6G", "modprobe.blacklist=nd_e820"], ["memmap=2G!5G"])));
    }

    [Fact]
    public void An_installed_kernel_whose_entry_lacks_the_arguments_is_still_caught()
    {
        var menu = Menu.Replace(
            "### END /etc/grub.d/10_linux ###",
            "menuentry 'Debian GNU/Linux, with Linux 6.12.0-1-amd64' {\n\tlinux\t/boot/vmlinuz-6.12.0-1-amd64 root=UUID=x ro console=ttyS0,115200\n}\n### END /etc/grub.d/10_linux ###",
            StringComparison.Ordinal);
        _temp.Write(GrubDropIn.DropInPath, GrubDropIn.Render(Wanted.Wanted)!)
            .Write("/boot/grub/grub.cfg", menu)
            .Write($"/boot/{Kernel}", "")
            .Write("/boot/vmlinuz-6.12.0-1-amd64", "");

        var grub = new GrubDropIn(new BootTools(_temp.Root, FakeToolRunner.WithRealChroot()));

        Assert.False(grub.IsConfigured(Wanted));
    }
}
