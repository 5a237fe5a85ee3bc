using RamDax.Provision.Boot;
using RamDax.Provision.Machine;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Boot;

/// <summary>
/// The kernel-install backend against what the systemd-boot guest (Debian 13, systemd 257,
/// end-to-end scenario 13) recorded: the <c>/etc/kernel/cmdline</c> the agent wrote, the loader
/// entry kernel-install made from it, the command line systemd-boot booted, and the entry after
/// <c>revert</c>.
/// </summary>
public sealed class SystemdBootGuestTests : IDisposable
{
    private const string Capture = "qemu-debian13-7.3.4-systemd-boot";
    private const string Release = "7.3.4+deb13-amd64";
    private static readonly KernelArgumentTarget Provisioned = KernelArgumentTarget.From(["memmap=2G!5G", "modprobe.blacklist=nd_e820"], []);

    private readonly TempRoot _root = new("ramdax-systemd-boot-root-");

    public SystemdBootGuestTests()
    {
        _root.Write("/usr/bin/kernel-install", "");
        _root.Write($"/lib/modules/{Release}/modules.builtin", "");
        _root.Write($"/boot/vmlinuz-{Release}", "");
        _root.Write($"/boot/initrd.img-{Release}", "");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_agent_writes_the_kernel_command_line_file_the_guest_had_and_booted()
    {
        // Before the agent, the image's file held what the entry holds after revert.
        _root.Write(KernelInstallCmdline.CmdlinePath, EntryOptions("loader-entry-after-revert.conf") + "\n");
        var runner = FakeToolRunner.Lenient();

        await new KernelInstallCmdline(new BootTools(_root.Root, runner)).ConfigureAsync(Provisioned, CancellationToken.None);

        var written = _root.Root.ReadText(KernelInstallCmdline.CmdlinePath);
        Assert.Equal(Fixtures.Read($"{Capture}/etc-kernel-cmdline.txt"), written);
        Assert.Equal([$"chroot {_root.Path} kernel-install add {Release} /boot/vmlinuz-{Release} /boot/initrd.img-{Release}"], runner.Calls);
        // kernel-install copied the file into the entry, and systemd-boot booted that entry.
        Assert.Equal(written.TrimEnd('\n'), EntryOptions("loader-entry-provisioned.conf"));
        Assert.EndsWith(" " + written.TrimEnd('\n'), Fixtures.Read($"{Capture}/proc-cmdline.txt").TrimEnd('\n'), StringComparison.Ordinal);
    }

    [Fact]
    public void The_captured_file_and_entry_count_as_configured_and_the_reverted_entry_does_not()
    {
        _root.Write(KernelInstallCmdline.CmdlinePath, Fixtures.Read($"{Capture}/etc-kernel-cmdline.txt"));
        _root.Write($"/boot/efi/loader/entries/debian-{Release}.conf", Fixtures.Read($"{Capture}/loader-entry-provisioned.conf"));
        var backend = new KernelInstallCmdline(new BootTools(_root.Root, new FakeToolRunner()));

        Assert.True(backend.IsConfigured(Provisioned));

        _root.Write($"/boot/efi/loader/entries/debian-{Release}.conf", Fixtures.Read($"{Capture}/loader-entry-after-revert.conf"));
        Assert.False(backend.IsConfigured(Provisioned));
    }

    [Fact]
    public async Task Taking_the_arguments_back_gives_the_command_line_the_entry_had_after_revert()
    {
        _root.Write(KernelInstallCmdline.CmdlinePath, Fixtures.Read($"{Capture}/etc-kernel-cmdline.txt"));

        await new KernelInstallCmdline(new BootTools(_root.Root, FakeToolRunner.Lenient()))
            .ConfigureAsync(KernelArgumentTarget.From([], Provisioned.Wanted), CancellationToken.None);

        Assert.Equal(EntryOptions("loader-entry-after-revert.conf") + "\n", _root.Root.ReadText(KernelInstallCmdline.CmdlinePath));
    }

    private static string EntryOptions(string entry) =>
        string.Join(' ', BlsEntries.Options(Fixtures.Read($"{Capture}/{entry}"), new Dictionary<string, string>()));
}
