using System.Diagnostics;
using RamDax.Provision.Boot;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Tests.Support;

/// <summary>
/// A Debian machine under a temporary --root: the captured 6 GiB QEMU guest (firmware memory map,
/// kernel 7.3.4 with ramdax), its real /etc/default/grub, the host's /etc/grub.d scripts
/// (grub2-common) and a /boot with the kernel, so the real update-grub runs inside it through
/// chroot. The host's /usr and /dev are bind-mounted read-only for that; they are unmounted
/// (and checked to be) before the tree is deleted.
/// </summary>
public sealed class GrubTestRoot : IDisposable
{
    public const string Release = "7.3.4+deb13-amd64";
    public const string CapturedCmdline = "BOOT_IMAGE=/boot/vmlinuz-7.3.4+deb13-amd64 root=UUID=7f476eb5-99d9-4d23-9d16-f3835b3788ab ro console=ttyS0,115200";

    private readonly List<string> _mounts = [];
    private readonly TempRoot _temp = new("ramdax-grub-root-");
    private int _boot;

    public GrubTestRoot()
    {
        Path = _temp.Path;
        try
        {
            Build();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void Build()
    {
        CopyTree(Fixtures.Root("qemu-6G-memmap2G"), Path);
        foreach (var dir in new[] { "usr", "dev", "tmp", "etc/default/grub.d", "boot/grub", "var/lib" })
        {
            Directory.CreateDirectory(Combine(dir));
        }

        // /lib holds the captured kernel modules, so it stays a directory; the host's libraries are
        // reached through its multiarch link (merged /usr).
        foreach (var (link, target) in new[] { ("bin", "usr/bin"), ("sbin", "usr/sbin"), ("lib64", "usr/lib64"), ("lib/x86_64-linux-gnu", "../usr/lib/x86_64-linux-gnu") })
        {
            File.CreateSymbolicLink(Combine(link), target);
        }

        File.Copy(Fixtures.Capture("qemu-debian13-7.3.4-memmap2G/etc-default-grub.txt"), Combine("etc/default/grub"));
        File.Copy("/etc/os-release", Combine("etc/os-release"));
        CopyTree("/etc/grub.d", Combine("etc/grub.d"));
        File.WriteAllText(Combine($"boot/vmlinuz-{Release}"), "kernel image stand-in\n");
        File.WriteAllText(Combine($"boot/initrd.img-{Release}"), "initrd stand-in\n");
        Boot(CapturedCmdline);
        BindReadOnly("/usr", "usr");
        BindReadOnly("/dev", "dev");
    }

    public string Path { get; }

    /// <summary>
    /// What Debian's memtest86+ package adds: its real <c>/etc/grub.d/20_memtest86+</c> (recorded
    /// from memtest86+ 6.10-4) and stand-ins for the images it looks for in /boot.
    /// </summary>
    public void InstallMemtest86Plus()
    {
        var script = Combine("etc/grub.d/20_memtest86+");
        File.Copy(Fixtures.Capture("grub-memtest86+-6.10/20_memtest86+"), script);
        if (!OperatingSystem.IsWindows())
        {
            // grub-mkconfig runs only the executable scripts of /etc/grub.d.
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        }
        foreach (var image in new[] { "memtest86+x64.bin", "memtest86+x64.efi", "memtest86+ia32.bin", "memtest86+ia32.efi" })
        {
            File.WriteAllText(Combine($"boot/{image}"), "memtest86+ image stand-in\n");
        }
    }

    public MachineRoot Machine => new(Path);

    public string Combine(string relative) => System.IO.Path.Join(Path, relative);

    /// <summary>Simulates a boot: a new boot id and the given command line in /proc/cmdline.</summary>
    public void Boot(string cmdline)
    {
        _boot++;
        Directory.CreateDirectory(Combine("proc/sys/kernel/random"));
        File.WriteAllText(Combine("proc/cmdline"), cmdline + "\n");
        File.WriteAllText(Combine("proc/sys/kernel/random/boot_id"), $"00000000-0000-0000-0000-{_boot:D12}\n");
    }

    /// <summary>Boots the way GRUB would: with the first normal entry of the generated grub.cfg.</summary>
    public void BootFromGrubCfg()
    {
        var line = GrubConfigFile.NormalLinuxLines(Machine, "/boot/grub/grub.cfg")[0];
        Boot($"BOOT_IMAGE=/boot/vmlinuz-{Release} " + string.Join(' ', line));
    }

    public IReadOnlyList<IReadOnlyList<string>> GrubCfgNormalLines() =>
        GrubConfigFile.NormalLinuxLines(Machine, "/boot/grub/grub.cfg");

    public void Dispose()
    {
        foreach (var target in Enumerable.Reverse(_mounts))
        {
            Run("umount", target);
        }

        var mountinfo = File.ReadAllText("/proc/self/mountinfo");
        if (_mounts.Any(m => mountinfo.Contains(" " + m + " ", StringComparison.Ordinal)))
        {
            return; // never delete through a mount point that is still there
        }

        _temp.Dispose();
    }

    private void BindReadOnly(string source, string relative)
    {
        var target = Combine(relative);
        Run("mount", "--bind", source, target);
        _mounts.Add(target);
        Run("mount", "-o", "remount,bind,ro", target);
    }

    private static void Run(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)}: {error}");
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(System.IO.Path.Join(to, System.IO.Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, System.IO.Path.Join(to, System.IO.Path.GetRelativePath(from, file)));
        }
    }
}
