using RamDax.Provision.Boot;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Tests.Support;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Boot;

/// <summary>The grubby and kernel-install backends on upstream example files, with a recording tool runner.</summary>
public sealed class BlsAndKernelInstallTests : IDisposable
{
    private const string Entry = "/boot/loader/entries/rhel-4.18.0-80.1.2.el8_0.x86_64.conf";
    private readonly TempRoot _temp = new("ramdax-bls-root-");

    private MachineRoot Machine => new(RootPath);

    private string RootPath => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_bls_machine_with_grubby_is_detected_and_its_entry_read_with_grubenv_expanded()
    {
        Put(Entry, Fixtures.Read("upstream/rhel8-bls-entry.conf"));
        Put("/usr/sbin/grubby", "");
        Put("/boot/grub2/grubenv", "# GRUB Environment Block\ntuned_params=memmap=2G!5G\n");
        var tools = new BootTools(Machine, FakeToolRunner.Lenient());

        Assert.Equal(BootloaderKind.Bls, BootloaderDetector.Detect(tools));
        Assert.True(new GrubbyBls(tools).IsConfigured(KernelArgumentTarget.From(["memmap=2G!5G"], [])));
        Assert.False(new GrubbyBls(tools).IsConfigured(KernelArgumentTarget.From(["memmap=2G!5G", "modprobe.blacklist=nd_e820"], [])));
    }

    [Fact]
    public async Task Grubby_removes_our_stale_arguments_and_adds_the_wanted_ones_inside_the_root()
    {
        Put(Entry, Fixtures.Read("upstream/rhel8-bls-entry.conf"));
        var runner = FakeToolRunner.Lenient();
        var target = KernelArgumentTarget.From(["memmap=1G!6G", "modprobe.blacklist=nd_e820"], ["memmap=2G!5G"]);

        await new GrubbyBls(new BootTools(Machine, runner)).ConfigureAsync(target, CancellationToken.None);

        var call = Assert.Single(runner.Results);
        Assert.Equal(["chroot", RootPath, "grubby", "--update-kernel=ALL", "--remove-args=memmap=2G!5G memmap=1G!6G modprobe.blacklist=nd_e820", "--args=memmap=1G!6G modprobe.blacklist=nd_e820"],
            call.Arguments.Prepend(call.Tool));
    }

    [Fact]
    public async Task A_failed_grubby_puts_the_entries_back_and_carries_its_output()
    {
        var original = Fixtures.Read("upstream/rhel8-bls-entry.conf");
        Put(Entry, original);
        var runner = FakeToolRunner.Lenient().Exit(ExternalTools.Chroot, [], 1, stderr: "grubby: cannot open the entry (recorded)");
        runner.BeforeRun = (_, _) => File.WriteAllText(Path.Join(RootPath, Entry), "half-written");

        var e = await Assert.ThrowsAsync<ToolFailedException>(() => new GrubbyBls(new BootTools(Machine, runner)).ConfigureAsync(KernelArgumentTarget.From(["memmap=2G!5G"], []), CancellationToken.None));

        Assert.Equal(original, File.ReadAllText(Path.Join(RootPath, Entry)));
        Assert.Contains("previous files were put back", e.Message, StringComparison.Ordinal);
        Assert.Contains("grubby: cannot open the entry (recorded)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kernel_install_edits_only_our_tokens_and_regenerates_every_installed_kernel()
    {
        var original = Fixtures.Read("upstream/etc-kernel-cmdline.txt");
        Put(KernelInstallCmdline.CmdlinePath, original);
        Put("/usr/lib/modules/6.12.0-55.el10.x86_64/vmlinuz", "");
        Put("/usr/lib/modules/6.19.1-200.fc43.x86_64/vmlinuz", "");
        Put("/usr/lib/modules/6.19.1-200.fc43.x86_64/extra/README", "");
        Put("/usr/bin/kernel-install", "");
        var runner = FakeToolRunner.Lenient();
        var tools = new BootTools(Machine, runner);
        var target = KernelArgumentTarget.From(["memmap=2G!5G", "modprobe.blacklist=nd_e820"], []);

        Assert.Equal(BootloaderKind.KernelInstall, BootloaderDetector.Detect(tools));
        await new KernelInstallCmdline(tools).ConfigureAsync(target, CancellationToken.None);

        Assert.Equal(original.TrimEnd('\n') + " memmap=2G!5G modprobe.blacklist=nd_e820\n", File.ReadAllText(Path.Join(RootPath, KernelInstallCmdline.CmdlinePath)));
        Assert.Equal(
            [
                $"chroot {RootPath} kernel-install add 6.12.0-55.el10.x86_64 /usr/lib/modules/6.12.0-55.el10.x86_64/vmlinuz",
                $"chroot {RootPath} kernel-install add 6.19.1-200.fc43.x86_64 /usr/lib/modules/6.19.1-200.fc43.x86_64/vmlinuz",
            ],
            runner.Results.Select(c => c.CommandLine));
        Assert.True(new KernelInstallCmdline(tools).IsConfigured(target));
    }

    [Fact]
    public async Task On_Debian_kernel_install_gets_the_image_and_initrd_from_boot_as_its_postinst_hook_gives_them()
    {
        // Debian's layout: modules under /lib/modules/VERSION, the image in /boot/vmlinuz-VERSION (no
        // vmlinuz beside the modules), entries on the ESP mounted at /boot/efi; a module directory a
        // removed kernel left behind has no image at all.
        Put(KernelInstallCmdline.CmdlinePath, "root=UUID=7f476eb5-99d9-4d23-9d16-f3835b3788ab ro console=ttyS0,115200\n");
        Put("/lib/modules/7.3.4+deb13-amd64/modules.builtin", "");
        Put("/boot/vmlinuz-7.3.4+deb13-amd64", "");
        Put("/boot/initrd.img-7.3.4+deb13-amd64", "");
        Put("/lib/modules/6.12.48+deb13-amd64/kernel/README", "");
        Put("/boot/efi/loader/entries/0123456789abcdef0123456789abcdef-7.3.4+deb13-amd64.conf",
            "title      Debian GNU/Linux 13 (trixie)\nversion    7.3.4+deb13-amd64\noptions    root=UUID=7f476eb5-99d9-4d23-9d16-f3835b3788ab ro console=ttyS0,115200\nlinux      /0123456789abcdef0123456789abcdef/7.3.4+deb13-amd64/linux\n");
        Put("/usr/bin/kernel-install", "");
        var runner = FakeToolRunner.Lenient();
        var tools = new BootTools(Machine, runner);

        Assert.Equal(BootloaderKind.KernelInstall, BootloaderDetector.Detect(tools));
        var kernel = Assert.Single(new KernelInstallCmdline(tools).InstalledKernels());
        Assert.Equal("7.3.4+deb13-amd64", kernel.Version);
        Assert.Equal(["/boot/vmlinuz-7.3.4+deb13-amd64", "/boot/initrd.img-7.3.4+deb13-amd64"], kernel.Files);
        await new KernelInstallCmdline(tools).ConfigureAsync(KernelArgumentTarget.From(["memmap=2G!5G", "modprobe.blacklist=nd_e820"], []), CancellationToken.None);

        Assert.Equal([$"chroot {RootPath} kernel-install add 7.3.4+deb13-amd64 /boot/vmlinuz-7.3.4+deb13-amd64 /boot/initrd.img-7.3.4+deb13-amd64"], runner.Results.Select(c => c.CommandLine));
    }

    [Fact]
    public async Task A_failed_kernel_install_puts_the_previous_cmdline_back()
    {
        var original = Fixtures.Read("upstream/etc-kernel-cmdline.txt");
        Put(KernelInstallCmdline.CmdlinePath, original);
        Put("/usr/lib/modules/6.19.1-200.fc43.x86_64/vmlinuz", "");
        var runner = FakeToolRunner.Lenient().Exit(ExternalTools.Chroot, [], 1, stderr: "chroot failed");

        await Assert.ThrowsAsync<ToolFailedException>(() => new KernelInstallCmdline(new BootTools(Machine, runner))
            .ConfigureAsync(KernelArgumentTarget.From(["memmap=2G!5G"], []), CancellationToken.None));

        Assert.Equal(original, File.ReadAllText(Path.Join(RootPath, KernelInstallCmdline.CmdlinePath)));
    }

    [Fact]
    public async Task Bootloader_none_writes_nothing_and_names_the_arguments_to_set()
    {
        var e = await Assert.ThrowsAsync<BootConfigurationException>(() =>
            new NoBootloader().ConfigureAsync(KernelArgumentTarget.From(["memmap=2G!5G", "modprobe.blacklist=nd_e820"], []), CancellationToken.None));

        Assert.Contains("add them yourself: memmap=2G!5G modprobe.blacklist=nd_e820", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(RootPath));
    }

    private void Put(string path, string content)
    {
        var full = Path.Join(RootPath, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
