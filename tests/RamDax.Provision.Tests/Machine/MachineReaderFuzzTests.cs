using RamDax.Provision.Reconcile.Readers;
using System.Globalization;
using System.Text;
using CsCheck;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Machine;

/// <summary>
/// Whatever a machine root holds (random firmware maps, command lines, meminfo, kernel releases,
/// NUMA trees, boot configuration, directories where files belong) and whatever ndctl, blkid and
/// mountinfo print, the readers and the planner give facts and a plan or an error that names what
/// and where, never another exception, and never write to the root. Each property runs for a
/// bounded time.
/// </summary>
public sealed class MachineReaderFuzzTests
{
    private const int Seconds = 2;

    // Each root is a directory tree written and read back: fewer cases per second than the parsers.
    private const int RootSeconds = 5;

    private static readonly string[] Hostile =
    [
        "", "\n", "0", "-1", "0x", "0xffffffffffffffffff", "0x100000000", "0x1bfffffff", "0x0", "0x9fbff", "ffffffff", "System RAM",
        "Reserved", "Persistent Memory (legacy)", "System RAM\0", "\u00e9", "9999999999999999999999", "MemTotal: 6000000 kB",
        "MemTotal:", "MemTotal: -5 kB", "MemTotal: 99999999999999999999 kB", "7.3.4+deb13-amd64", "../../etc", "a/b", "",
        "memmap=2G!4G", "memmap=", "memmap=2G$4G", "memmap=99999P!0", "mem=4G", "nokaslr", "modprobe.blacklist=nd_e820",
        "root=/dev/vda1 ro", "GRUB_CMDLINE_LINUX=\"memmap=1G!8G\"", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet", "8000000", "1000",
        "\"unterminated", "\\", "${x}", "\t", " ",
    ];

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Int[0, Hostile.Length - 1].Select(i => Hostile[i]),
        Gen.Int[0, Hostile.Length - 1].Array[1, 4].Select(parts => string.Join(' ', parts.Select(i => Hostile[i]))),
        Gen.Byte.Array[0, 64].Select(b => Encoding.UTF8.GetString(b)));

    // A file's content, or a directory in its place, or nothing.
    private static readonly Gen<string?> Content = Gen.Frequency(
        (6, Text.Select(t => (string?)t)),
        (1, Gen.Const((string?)null)),
        (1, Gen.Const((string?)"<dir>")));

    // A gap before each entry, its length and its type; laid out in address order, then sometimes disordered.
    private static readonly Gen<(ulong Gap, ulong Length, int Type)> Entries =
        Gen.Select(Gen.ULong[0, 8UL << 30], Gen.ULong[1, 64UL << 30], Gen.Int[0, 5]);

    private static readonly string[] Types = ["System RAM", "System RAM", "System RAM", "Reserved", "Persistent Memory (legacy)", "ACPI Tables"];

    private static readonly Gen<Dictionary<string, string?>> Roots = Gen.Select(
            Gen.Select(Entries.Array[0, 6], Content.Array[3], Gen.Bool),
            Gen.Select(Content.Array[7], Gen.Int[0, 3], Gen.Int[0, 40].Array[0, 6]))
        .Select((map, rest) =>
        {
            var (entries, raw, typed) = map;
            var (files, nodes, blocks) = rest;
            var root = new Dictionary<string, string?>(StringComparer.Ordinal);
            var laid = new List<(ulong Start, ulong Length, int Type)>();
            var next = 0UL;
            foreach (var (gap, size, kind) in entries)
            {
                laid.Add((next + gap, size, kind));
                next += gap + size;
            }

            if (blocks.Length == 5 && laid.Count > 1)
            {
                (laid[0], laid[^1]) = (laid[^1], laid[0]); // out of order, as a broken firmware may list them
            }

            for (var i = 0; i < laid.Count; i++)
            {
                var (start, length, type) = laid[i];
                // Mostly well-formed entries (in any order, overlapping or not), sometimes raw text.
                var dir = $"/sys/firmware/memmap/{i.ToString(CultureInfo.InvariantCulture)}";
                root[$"{dir}/start"] = typed || blocks.Length != 3 || i >= raw.Length ? $"0x{start:x}\n" : raw[i];
                root[$"{dir}/end"] = $"0x{start + length - 1:x}\n";
                root[$"{dir}/type"] = Types[type] + "\n";
            }

            string[] paths =
            [
                KernelCommandLine.Path, MachineFacts.MemInfoPath, KernelCapabilities.ReleasePath, NumaTopology.BlockSizePath,
                "/etc/default/grub", KernelInstallCmdline.CmdlinePath, "/etc/default/grub.d/50-image.cfg",
            ];
            // The three files every plan needs are mostly well-formed, so most cases reach the planner.
            string?[] usual = ["BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro\n", "MemTotal:        6000000 kB\n", "7.3.4+deb13-amd64\n"];
            for (var i = 0; i < paths.Length; i++)
            {
                root[paths[i]] = i < usual.Length && blocks.Length % 4 != 0 ? usual[i] : files[i];
            }

            if (blocks.Length % 4 != 0)
            {
                root["/lib/modules/7.3.4+deb13-amd64/modules.builtin"] = "kernel/drivers/block/loop.ko\n";
                root["/lib/modules/7.3.4+deb13-amd64/kernel/drivers/nvdimm/ramdax.ko.xz"] = blocks.Length % 2 == 0 ? "" : null;
            }

            for (var n = 0; n < nodes; n++)
            {
                foreach (var b in blocks)
                {
                    root[$"/sys/devices/system/node/node{n.ToString(CultureInfo.InvariantCulture)}/memory{b.ToString(CultureInfo.InvariantCulture)}"] = "<dir>";
                }
            }

            return root;
        });

    private static readonly ProvisionSettingsSource Settings = new();

    [Fact]
    public void Random_machine_roots_give_a_plan_or_an_error_naming_what_and_write_nothing()
    {
        var (plans, errors) = (0, 0);
        Gen.Select(Roots, Gen.Int[0, Settings.Count - 1]).Sample((files, setting) =>
        {
            using var temp = new TempRoot("ramdax-fuzz-root-");
            Lay(temp, files);
            var before = Snapshot(temp.Path);
            try
            {
                var facts = NextBootReader.ReadFacts(temp.Root);
                Planner.Make(facts, Settings[setting]);
                Interlocked.Increment(ref plans);
            }
            catch (ProvisionException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Interlocked.Increment(ref errors);
            }

            Assert.Equal(before, Snapshot(temp.Path));
        }, time: RootSeconds, iter: 1_000_000);

        // Both ends were reached: some roots planned, some were refused.
        Assert.True(plans >= 2 && errors >= 2, $"{plans} plans and {errors} errors");
    }

    [Fact]
    public void Mutated_and_random_ndctl_output_parses_or_is_an_ndctl_output_error() =>
        Mutants("qemu-debian13-7.3.4-memmap2G/first-boot-create/ndctl-list-RN-after-create.json", "qemu-debian13-7.3.4-numa/ndctl-list-RN.json")
            .Sample(text =>
            {
                try
                {
                    foreach (var region in NdctlOutput.ParseRegions(text))
                    {
                        Assert.NotNull(region.Dev);
                    }
                }
                catch (NdctlOutputException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                }
            }, time: Seconds, iter: 1_000_000);

    [Fact]
    public void Mutated_and_random_mountinfo_and_blkid_output_parse_without_an_exception() =>
        Gen.Select(
                Mutants("qemu-debian13-7.3.4-memmap2G/first-boot-create/mountinfo-dax.txt"),
                Mutants("qemu-debian13-7.3.4-memmap2G/first-boot-create/blkid-ext4.txt"))
            .Sample((mountinfo, blkid) =>
            {
                _ = MountTable.Parse(mountinfo);
                _ = BlkidSignature.Parse(blkid).Describe();
            }, time: Seconds, iter: 1_000_000);

    // A recorded output with bytes replaced, inserted or removed, or random bytes.
    private static Gen<string> Mutants(params string[] captures) => Gen.OneOf(
        Gen.Select(Gen.Int[0, captures.Length - 1], Gen.Select(Gen.Int[0, 2], Gen.Double[0, 1], Gen.Char).Array[1, 8]).Select((file, edits) =>
        {
            var text = new StringBuilder(Fixtures.Read(captures[file]));
            foreach (var (kind, where, c) in edits)
            {
                var at = Math.Min((int)(where * text.Length), Math.Max(text.Length - 1, 0));
                if (kind == 1 && text.Length > 0)
                {
                    text.Remove(at, 1);
                }
                else
                {
                    text.Insert(at, c);
                }
            }

            return text.ToString();
        }),
        Gen.Byte.Array[0, 256].Select(b => Encoding.UTF8.GetString(b)));

    private static void Lay(TempRoot temp, Dictionary<string, string?> files)
    {
        foreach (var (path, content) in files.Where(f => f.Value is not null))
        {
            if (content == "<dir>")
            {
                Directory.CreateDirectory(temp.Root.Resolve(path));
            }
            else if (!Directory.Exists(temp.Root.Resolve(path)))
            {
                temp.Write(path, content!);
            }
        }
    }

    private static string Snapshot(string root) => string.Join('\n', Directory
        .EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.ReadAllText(p).GetHashCode(StringComparison.Ordinal)}" : p));

    // The settings the plans are made with: nothing carved, a share, a fixed size, NUMA spread with namespaces.
    private sealed class ProvisionSettingsSource
    {
        private readonly RamDax.Provision.Configuration.Settings.ProvisionSettings[] _settings =
        [
            Load(""),
            Load("carveout:\n  size: 25%\nnamespaces:\n  - name: a\n    size: rest\n"),
            Load("carveout:\n  size: 2G\n  max_ranges: 1\nnamespaces:\n  - name: a\n    size: 512M\n    filesystem: {type: ext4}\n    mount: {path: /mnt/a}\n"),
            Load("carveout:\n  size: 50%\n  placement:\n    numa: spread\nnamespaces:\n  - name: a\n    size: rest\n  - name: b\n    size: rest\n    mode: devdax\n"),
        ];

        public int Count => _settings.Length;

        public RamDax.Provision.Configuration.Settings.ProvisionSettings this[int i] => _settings[i];

        private static RamDax.Provision.Configuration.Settings.ProvisionSettings Load(string yaml)
        {
            var errors = new List<ConfigError>();
            var layer = YamlLayerReader.Read(yaml, "fuzz.yaml", errors);
            return SettingsMapper.Map(LayeredConfiguration.Merge([layer]), errors);
        }
    }
}
