using System.Globalization;

namespace RamDax.Provision.Machine;

/// <summary>
/// Everything the planner needs to know about the machine, read once, immutable. MemTotal is only
/// reported (it shrinks once a carve-out is live); plans come from the firmware map, which does not.
/// <see cref="NextBoot"/> is read by the boot backends, which know the boot configuration's files.
/// </summary>
public sealed record MachineFacts(
    FirmwareMemoryMap MemoryMap,
    KernelCommandLine CommandLine,
    KernelCapabilities Kernel,
    NumaTopology Numa,
    ulong? MemTotal)
{
    public const string MemInfoPath = "/proc/meminfo";

    /// <summary>The kernel arguments the boot configuration gives the next boot (none when not read).</summary>
    public NextBootArguments NextBoot { get; init; } = NextBootArguments.None;

    public static MachineFacts Read(MachineRoot root) => new(
        FirmwareMemoryMap.Read(root),
        KernelCommandLine.Read(root),
        KernelCapabilities.Read(root),
        NumaTopology.Read(root),
        ReadMemTotal(root));

    private static ulong? ReadMemTotal(MachineRoot root)
    {
        var text = root.TryReadText(MemInfoPath);
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var number = line["MemTotal:".Length..].Trim().Split(' ')[0];
                if (ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                {
                    return kib * 1024;
                }
            }
        }

        throw new MachineReadException(root.Resolve(MemInfoPath), detail: "no MemTotal line");
    }
}
