using System.Globalization;
using System.Text.RegularExpressions;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Tests.Support;

/// <summary>
/// A machine root made from a boot log, as the kernel of that boot would show it under
/// <c>/sys</c>: <c>/sys/firmware/memmap</c> from the <c>BIOS-e820:</c> lines, and each node's
/// memory blocks from the "Early memory node ranges" (<c>node N: [mem ...]</c>, memblock's memory
/// by node). As x86-64 does (<c>probe_memory_block_size</c> in <c>arch/x86/mm/init_64.c</c>), a
/// block is 128 MiB below 64 GiB of memory, 2 GiB on bare metal above it, and in a VM the largest
/// of 2 GiB to 128 MiB that the end of memory is a multiple of. A block is listed under every node
/// whose memory it holds (<c>register_memory_blocks_under_nodes</c> in
/// <c>drivers/base/node.c</c>), so a node boundary inside a block lists it under both.
/// </summary>
internal static partial class BootLogRoot
{
    private const ulong MiB = 1UL << 20;
    private const ulong GiB = 1UL << 30;

    /// <param name="log">The boot log.</param>
    /// <param name="virtualMachine">Whether the kernel ran under a hypervisor (its block size rule differs).</param>
    /// <param name="carved">Ranges memmap= took from System RAM in that boot: their memory blocks are gone.</param>
    /// <param name="release">The kernel release the root says runs (one with ramdax).</param>
    public static TempRoot Make(string log, bool virtualMachine, IReadOnlyList<MemoryRange>? carved = null, string release = "7.3.4+deb13-amd64")
    {
        var root = new TempRoot();
        var map = FirmwareMemoryMap.ParseE820Log(log);
        for (var i = 0; i < map.Entries.Length; i++)
        {
            var e = map.Entries[i];
            var dir = $"/sys/firmware/memmap/{i.ToString(CultureInfo.InvariantCulture)}";
            root.Write($"{dir}/start", $"0x{e.Range.Start:x}\n").Write($"{dir}/end", $"0x{e.Range.End - 1:x}\n").Write($"{dir}/type", e.Type + "\n");
        }

        var nodes = NodeRanges(log);
        if (nodes.Count > 0)
        {
            var blockSize = BlockSize(map.SystemRam.Max(r => r.End), virtualMachine);
            root.Write("/sys/devices/system/memory/block_size_bytes", $"{blockSize:x}\n");
            foreach (var (node, start, end) in nodes.SelectMany(n => MemoryRange.Subtract(new MemoryRange(n.Start, n.End), carved ?? []).Select(r => (n.Node, r.Start, r.End))))
            {
                for (var block = start / blockSize; block <= (end - 1) / blockSize; block++)
                {
                    Directory.CreateDirectory(root.Root.Resolve($"/sys/devices/system/node/node{node}/memory{block}"));
                }
            }
        }

        root.Write("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz ro quiet\n")
            .Write(KernelCapabilities.ReleasePath, release + "\n")
            .Write($"/lib/modules/{release}/modules.builtin", "kernel/drivers/nvdimm/libnvdimm.ko\n")
            .Write($"/lib/modules/{release}/kernel/drivers/nvdimm/ramdax.ko.xz", "");
        return root;
    }

    /// <summary>The memory block size x86-64 picks for memory ending at <paramref name="end"/>.</summary>
    public static ulong BlockSize(ulong end, bool virtualMachine)
    {
        if (end < 64 * GiB)
        {
            return 128 * MiB;
        }

        if (!virtualMachine)
        {
            return 2 * GiB;
        }

        var size = 2 * GiB;
        while (size > 128 * MiB && end % size != 0)
        {
            size /= 2;
        }

        return size;
    }

    /// <summary>Each "node N: [mem 0xSTART-0xEND]" line (END inclusive), as an end-exclusive range.</summary>
    public static List<(int Node, ulong Start, ulong End)> NodeRanges(string log) =>
        [.. NodeLine().Matches(log).Select(m => (
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) + 1))];

    [GeneratedRegex(@"node\s+(\d+): \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\]")]
    private static partial Regex NodeLine();
}
