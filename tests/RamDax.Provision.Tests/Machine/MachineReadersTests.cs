using RamDax.Provision.Machine;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Machine;

public sealed class MachineReadersTests : IDisposable
{
    private readonly TempRoot _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MachineRoot CapturedQemu => new(Fixtures.PathTo("roots/qemu-6G-memmap2G"));

    [Fact]
    public void The_firmware_map_of_the_captured_guest_has_three_system_ram_ranges()
    {
        var map = FirmwareMemoryMap.Read(CapturedQemu);

        Assert.Equal(8, map.Entries.Length);
        Assert.Equal(
            [new MemoryRange(0, 0x9fc00), new MemoryRange(0x100000, 0xbffdd000), new MemoryRange(0x100000000, 0x1c0000000)],
            map.SystemRam);
        Assert.Equal(0x9fc00UL + (0xbffdd000UL - 0x100000UL) + (3UL << 30), map.TotalSystemRam);
    }

    [Fact]
    public void A_missing_firmware_map_is_an_error_naming_the_path()
    {
        _temp.Write("/proc/cmdline", "ro\n");

        var e = Assert.Throws<MachineReadException>(() => FirmwareMemoryMap.Read(_temp.Root));

        Assert.Equal(Path.Join(_temp.Path, "sys/firmware/memmap"), e.Path);
        Assert.Contains("no such file", e.Message, StringComparison.Ordinal);
        Assert.Equal(66, e.ExitCode);
    }

    [Fact]
    public void A_garbled_address_is_an_error_naming_the_file()
    {
        _temp.Write("/sys/firmware/memmap/0/start", "zzz\n").Write("/sys/firmware/memmap/0/end", "0x9fbff\n").Write("/sys/firmware/memmap/0/type", "System RAM\n");

        var e = Assert.Throws<MachineReadException>(() => FirmwareMemoryMap.Read(_temp.Root));

        Assert.EndsWith("sys/firmware/memmap/0/start", e.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Boot_log_tables_are_read_in_both_kernel_spellings()
    {
        var captured = File.ReadAllText(Fixtures.PathTo("machines/qemu-6G/e820.txt"));
        var old = "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n";

        var modern = FirmwareMemoryMap.ParseE820Log(captured);
        var legacy = FirmwareMemoryMap.ParseE820Log(old);

        Assert.Equal(FirmwareMemoryMap.Read(CapturedQemu).SystemRam, modern.SystemRam);
        Assert.Equal<MemoryRange>([new MemoryRange(0, 0x9fc00)], legacy.SystemRam);
        Assert.Equal("Reserved", legacy.Entries[1].Type);
    }

    [Fact]
    public void The_command_line_is_split_like_the_kernel_does()
    {
        var line = KernelCommandLine.Read(CapturedQemu);

        Assert.Equal("BOOT_IMAGE=/boot/vmlinuz-7.3.4+deb13-amd64", line.Arguments[0]);
        Assert.True(line.Contains("memmap=2G!4G"));
        Assert.Equal<string>(["a", "dyndbg=\"file x +p\"", "b"], KernelCommandLine.Parse("a  dyndbg=\"file x +p\"\tb\n").Arguments);
    }

    [Fact]
    public void Ramdax_support_is_judged_from_the_installed_module()
    {
        Assert.True(KernelCapabilities.Read(CapturedQemu).HasRamdax);

        _temp.Machine(TempRoot.Qemu6G, ramdax: false, release: "6.12.48+deb13-amd64");
        var old = KernelCapabilities.Read(_temp.Root);
        Assert.False(old.HasRamdax);
        Assert.Contains("6.12.48+deb13-amd64 has no ramdax", old.Evidence, StringComparison.Ordinal);

        _temp.Write("/lib/modules/6.12.48+deb13-amd64/modules.builtin", "kernel/drivers/nvdimm/ramdax.ko\n");
        Assert.True(KernelCapabilities.Read(_temp.Root).HasRamdax);
    }

    [Fact]
    public void Memory_blocks_give_each_node_its_ranges()
    {
        _temp.Write("/sys/devices/system/memory/block_size_bytes", "8000000\n");
        foreach (var block in new[] { 0, 1, 2, 32, 33 })
        {
            _temp.Write($"/sys/devices/system/node/node0/memory{block}/online", "1\n");
        }

        _temp.Write("/sys/devices/system/node/node1/memory64/online", "1\n");
        _temp.Write("/sys/devices/system/node/node1/cpulist", "1\n");

        var numa = NumaTopology.Read(_temp.Root);

        Assert.Equal<MemoryRange>([new MemoryRange(0, 3UL << 27), new MemoryRange(32UL << 27, 34UL << 27)], numa.Nodes[0]);
        Assert.Equal(1, numa.NodeOf(new MemoryRange(64UL << 27, 65UL << 27)));
        Assert.Null(numa.NodeOf(new MemoryRange(100UL << 27, 101UL << 27)));
    }

    [Fact]
    public void Live_carve_outs_keep_the_node_their_region_names_although_their_memory_blocks_are_gone()
    {
        // The two-node guest (run-guest.sh --numa 5,3) booted with memmap=2G!4G,2G!7G: node 0 keeps
        // 0-3G, node 1 only 6G-7G as memory blocks; the two regions name the nodes of the rest.
        _temp.Write("/sys/devices/system/memory/block_size_bytes", "8000000\n");
        for (var block = 0; block < 24; block++)
        {
            _temp.Write($"/sys/devices/system/node/node0/memory{block}/online", "1\n");
        }

        for (var block = 48; block < 56; block++)
        {
            _temp.Write($"/sys/devices/system/node/node1/memory{block}/online", "1\n");
        }

        _temp.Write("/sys/bus/nd/devices/region0/resource", "0x100000000\n");
        _temp.Write("/sys/bus/nd/devices/region0/size", "2147483648\n");
        _temp.Write("/sys/bus/nd/devices/region0/numa_node", "0\n");
        _temp.Write("/sys/bus/nd/devices/region0/target_node", "0\n");
        _temp.Write("/sys/bus/nd/devices/region1/resource", "0x1c0000000\n");
        _temp.Write("/sys/bus/nd/devices/region1/size", "2147483648\n");
        _temp.Write("/sys/bus/nd/devices/region1/numa_node", "1\n");
        _temp.Write("/sys/bus/nd/devices/region1/target_node", "1\n");
        _temp.Write("/sys/bus/nd/devices/ndbus0/uevent", "\n");

        var numa = NumaTopology.Read(_temp.Root);

        Assert.Equal(0, numa.NodeOf(new MemoryRange(4UL << 30, 6UL << 30)));
        Assert.Equal(1, numa.NodeOf(new MemoryRange(7UL << 30, 9UL << 30)));
        Assert.Equal(1, numa.NodeOf(new MemoryRange(6UL << 30, 7UL << 30)));
    }

    [Fact]
    public void A_memory_block_two_nodes_list_is_in_neither_and_in_no_carve_out()
    {
        // The Dell R815's node boundary at 64.5 GiB lies inside the 2 GiB block 32 (64-66 GiB).
        _temp.Write("/sys/devices/system/memory/block_size_bytes", "80000000\n");
        foreach (var block in new[] { 2, 3, 31, 32 })
        {
            _temp.Write($"/sys/devices/system/node/node0/memory{block}/online", "1\n");
        }

        foreach (var block in new[] { 32, 33, 63 })
        {
            _temp.Write($"/sys/devices/system/node/node1/memory{block}/online", "1\n");
        }

        var numa = NumaTopology.Read(_temp.Root);

        Assert.Equal<MemoryRange>([new MemoryRange(64UL << 30, 66UL << 30)], numa.Shared);
        Assert.DoesNotContain(numa.Nodes[0], r => r.Overlaps(numa.Shared[0]));
        Assert.DoesNotContain(numa.Nodes[1], r => r.Overlaps(numa.Shared[0]));
        Assert.Null(numa.NodeOf(new MemoryRange(64UL << 30, 65UL << 30)));
    }

    [Fact]
    public void A_live_carve_out_keeps_its_part_of_a_shared_block()
    {
        // A carve-out of 65-127 GiB made on node 1 before shared blocks were left out: its region
        // says node 1, so the plan made while it is live still sees 65-66 GiB as node 1's.
        _temp.Write("/sys/devices/system/memory/block_size_bytes", "80000000\n");
        _temp.Write("/sys/devices/system/node/node0/memory31/online", "1\n");
        _temp.Write("/sys/devices/system/node/node0/memory32/online", "1\n");
        _temp.Write("/sys/devices/system/node/node1/memory32/online", "1\n");
        _temp.Write("/sys/devices/system/node/node1/memory63/online", "1\n");
        _temp.Write("/sys/bus/nd/devices/region0/resource", "0x1040000000\n");
        _temp.Write("/sys/bus/nd/devices/region0/size", $"{62UL << 30}\n");
        _temp.Write("/sys/bus/nd/devices/region0/target_node", "1\n");

        var numa = NumaTopology.Read(_temp.Root);

        Assert.Equal<MemoryRange>([new MemoryRange(64UL << 30, 65UL << 30)], numa.Shared);
        Assert.Equal(1, numa.NodeOf(new MemoryRange(65UL << 30, 127UL << 30)));
    }

    [Fact]
    public void A_root_made_from_a_boot_log_lists_the_memory_blocks_the_real_guest_listed()
    {
        // The two-node guest after the agent's reboot: the boot log's node ranges less its
        // carve-outs, against what its /sys/devices/system/node listed in that boot.
        const string capture = "qemu-debian13-7.3.4-numa";
        var carved = KernelCommandLine.Parse(Fixtures.Read($"{capture}/proc-cmdline.txt")).Arguments
            .Single(a => a.StartsWith("memmap=", StringComparison.Ordinal))["memmap=".Length..].Split(',')
            .Select(e => e.Split('!'))
            .Select(p => (Size: ulong.Parse(p[0].TrimEnd('G'), System.Globalization.CultureInfo.InvariantCulture) << 30, Start: ulong.Parse(p[1].TrimEnd('G'), System.Globalization.CultureInfo.InvariantCulture) << 30))
            .Select(p => new MemoryRange(p.Start, p.Start + p.Size))
            .ToList();
        using var root = BootLogRoot.Make(File.ReadAllText(Fixtures.PathTo("machines/qemu-8G-numa-5-3/e820.txt")), virtualMachine: true, carved);

        var listed = string.Join('\n', Directory.GetDirectories(root.Root.Resolve("/sys/devices/system/node")).Order(StringComparer.Ordinal)
            .Select(d => $"{Path.GetFileName(d)}: " + string.Join(' ', Directory.GetDirectories(d).Select(Path.GetFileName).OrderBy(n => int.Parse(n!["memory".Length..], System.Globalization.CultureInfo.InvariantCulture)))))
            + "\n" + File.ReadAllText(root.Root.Resolve("/sys/devices/system/memory/block_size_bytes"));

        Assert.Equal(2, carved.Count);
        Assert.Equal(Fixtures.Read($"{capture}/numa-memory-blocks.txt"), listed);
    }

    [Fact]
    public void A_kernel_without_numa_information_has_no_topology() =>
        Assert.Same(NumaTopology.None, NumaTopology.Read(_temp.Root));
}
