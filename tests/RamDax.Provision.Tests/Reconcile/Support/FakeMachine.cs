using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;
using RamDax.Provision.Reconcile;
using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Tools;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Reconcile.Support;

/// <summary>
/// A machine root in a temporary directory, shaped like the captured guest: the e820_pmem platform
/// device and its driver link, the nd regions' sysfs files, /proc/self/mountinfo, device nodes.
/// </summary>
internal sealed class FakeMachine : IDisposable
{
    public const string CapturedMountInfo = "first-boot-create/mountinfo-dax.txt";

    private readonly TempRoot _temp = new("ramdax-reconcile-");

    public FakeMachine(string? driver = "ramdax")
    {
        Path = _temp.Path;
        Root = new MachineRoot(Path);
        Directory.CreateDirectory(Root.Resolve("/sys/bus/platform/devices/e820_pmem/ndbus0"));
        Directory.CreateDirectory(Root.Resolve("/sys/bus/platform/drivers/e820_pmem"));
        Directory.CreateDirectory(Root.Resolve("/sys/bus/platform/drivers/ramdax"));
        Touch("/sys/bus/platform/devices/e820_pmem/driver_override");
        Touch("/sys/bus/platform/drivers_probe");
        Touch("/sys/bus/platform/drivers/e820_pmem/unbind");
        SetDriver(driver);
        Write("/proc/self/mountinfo", "");
        // The guest's accounts the tests name (kvm is 108 there), and the mount points they use.
        Write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        Write("/etc/group", "root:x:0:\ndisk:x:6:\nkvm:x:108:\n");
        foreach (var mountPoint in new[] { "/mnt/e", "/mnt/x", "/mnt/store" })
        {
            Directory.CreateDirectory(Root.Resolve(mountPoint));
        }
    }

    /// <summary>A device node as the kernel makes it (a plain file here): root:root 0600 until udev changes it.</summary>
    public string MakeNode(string node)
    {
        var path = Root.Resolve(node);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "");
            FileOwnership.Set(path, 0, 0, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>
    /// Gives a device node (made here when missing) the OWNER, GROUP and MODE that the generated
    /// udev rule for it names, as udev does on the re-trigger; leaves it root:root 0600 without one.
    /// </summary>
    public void ApplyUdevRule(string node)
    {
        var path = MakeNode(node);
        var rule = (Root.TryReadText("/etc/udev/rules.d/70-ramdax-provision.rules") ?? "")
            .Split('\n').FirstOrDefault(l => l.Contains($"KERNEL==\"{System.IO.Path.GetFileName(node)}\"", StringComparison.Ordinal));
        string Field(string key) => rule is null ? "" : System.Text.RegularExpressions.Regex.Match(rule, key + "=\"([^\"]*)\"").Groups[1].Value;
        var accounts = UnixAccounts.Read(Root);
        var (owner, group, mode) = rule is null ? ("root", "root", "0600") : (Field("OWNER"), Field("GROUP"), Field("MODE"));
        FileOwnership.Set(path, accounts.UserId(owner), accounts.GroupId(group), (UnixFileMode)Convert.ToInt32(mode, 8));
    }

    public string Path { get; }

    public MachineRoot Root { get; }

    public List<string> LogLines { get; } = [];

    /// <summary>Points <c>e820_pmem/driver</c> at <paramref name="driver"/> (null: no driver), as the kernel does on bind.</summary>
    public void SetDriver(string? driver)
    {
        var link = Root.Resolve("/sys/bus/platform/devices/e820_pmem/driver");
        if (new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
        }

        if (driver is not null)
        {
            File.CreateSymbolicLink(link, $"../../../bus/platform/drivers/{driver}");
        }
    }

    /// <summary>The namespace drivers' sysfs directories, as their modules make them when loaded (all of them, or those <paramref name="modules"/> names).</summary>
    public FakeMachine WithNamespaceDrivers(IReadOnlyList<string>? modules = null)
    {
        foreach (var (module, directory) in PlatformDevice.NamespaceDrivers.Where(d => modules is null || modules.Contains(d.Module)))
        {
            Directory.CreateDirectory(Root.Resolve(directory));
        }

        return this;
    }

    /// <summary>A region with the captured region0's sysfs files, at <paramref name="start"/> when given.</summary>
    public FakeMachine WithRegion(string name = "region0", ulong? start = null, ulong? size = null)
    {
        foreach (var line in Fixtures.Qemu("first-boot-create/sysfs-region0.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 2);
            var value = parts[0] switch
            {
                "resource" when start is not null => $"0x{start:x}",
                "size" when size is not null => size.Value.ToString(CultureInfo.InvariantCulture),
                _ => parts[1],
            };
            Write($"/sys/bus/nd/devices/{name}/{parts[0]}", value + "\n");
        }

        Directory.CreateDirectory(Root.Resolve($"/sys/bus/platform/devices/e820_pmem/ndbus0/{name}"));
        return this;
    }

    /// <summary>The link the package's udev rule makes for a named namespace: /dev/ramdax/NAME → ../NODE.</summary>
    public void StableLink(string name, string node)
    {
        var link = Root.Resolve($"/dev/ramdax/{name}");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(link)!);
        MakeNode($"/dev/{node}");
        File.CreateSymbolicLink(link, $"../{node}");
    }

    /// <summary>The nd devices of a guest's <c>capture_nd_sysfs</c> capture in place of the region files.</summary>
    public FakeMachine WithNdSysfs(string capture)
    {
        _temp.CopySysfsCapture(capture, "/sys/bus/nd/devices");
        return this;
    }

    public FakeMachine WithMountInfo(string text)
    {
        Write("/proc/self/mountinfo", text);
        return this;
    }

    public void Write(string absolute, string text)
    {
        var path = Root.Resolve(absolute);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Touch(string absolute) => Write(absolute, "");

    public string Read(string absolute) => File.ReadAllText(Root.Resolve(absolute));

    public bool Exists(string absolute) => File.Exists(Root.Resolve(absolute));

    public ReconcileContext Context(IToolRunner tools, TimeProvider? time = null, ReconcileOptions? options = null) =>
        new(Root, tools, new MachineWriter(Root), new ListLogger(LogLines), time ?? TimeProvider.System, options ?? new ReconcileOptions());

    public void Dispose() => _temp.Dispose();

    /// <summary>Keeps the formatted log lines, to check what a person would read.</summary>
    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => NullLogger.Instance.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
