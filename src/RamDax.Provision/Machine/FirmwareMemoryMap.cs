using System.Collections.Immutable;
using System.Globalization;

namespace RamDax.Provision.Machine;

/// <summary>
/// The memory map the firmware handed to the kernel, from <c>/sys/firmware/memmap</c>. It is read
/// before <c>memmap=</c> edits, so it is the same on every boot and plans made from it are stable.
/// </summary>
public sealed record FirmwareMemoryMap(ImmutableArray<FirmwareMemoryEntry> Entries)
{
    public const string SystemRamType = "System RAM";
    public const string Directory = "/sys/firmware/memmap";

    /// <summary>The System RAM ranges, lowest first.</summary>
    public IEnumerable<MemoryRange> SystemRam => Entries.Where(e => e.IsSystemRam).Select(e => e.Range);

    /// <summary>All the System RAM there is.</summary>
    public ulong TotalSystemRam => SystemRam.Aggregate(0UL, (sum, r) => sum + r.Size);

    public static FirmwareMemoryMap Read(MachineRoot root)
    {
        var entries = new List<FirmwareMemoryEntry>();
        var names = new List<string>();

        // In the kernel's order (entry number), not the directory listing's (0, 1, 10, 11, 2...).
        var numbered = root.ListNames(Directory)
            .Select(n => (Name: n, Ok: int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var i), Index: i))
            .Where(n => n.Ok)
            .OrderBy(n => n.Index)
            .Select(n => n.Name);
        foreach (var name in numbered)
        {

            var dir = $"{Directory}/{name}";
            var start = ParseAddress(root, $"{dir}/start");
            var end = ParseAddress(root, $"{dir}/end");
            var type = root.ReadText($"{dir}/type").Trim();
            if (end < start || end == ulong.MaxValue)
            {
                throw new MachineReadException(root.Resolve(dir), detail: $"end 0x{end:x} does not follow start 0x{start:x}");
            }

            entries.Add(new FirmwareMemoryEntry(new MemoryRange(start, end + 1), type));
            names.Add(name);
        }

        if (entries.Count == 0)
        {
            throw new MachineReadException(root.Resolve(Directory), detail: "the firmware memory map is empty");
        }

        if (Problem(entries, names) is { } problem)
        {
            throw new MachineReadException(root.Resolve(Directory), detail: problem);
        }

        return new FirmwareMemoryMap([.. entries.OrderBy(e => e.Range.Start)]);
    }

    // The kernel lists the firmware's entries in address order, without overlaps; a map that is
    // not (a broken or forged one) would make overlapping carve-outs, so it is refused, naming them.
    private static string? Problem(List<FirmwareMemoryEntry> entries, List<string> names)
    {
        for (var i = 1; i < entries.Count; i++)
        {
            var (before, after) = (entries[i - 1], entries[i]);
            if (after.Range.Start < before.Range.End)
            {
                var how = after.Range.Start < before.Range.Start ? "comes before" : "overlaps";
                return $"entry {names[i]} ({Describe(after)}) {how} entry {names[i - 1]} ({Describe(before)}); "
                    + "the firmware memory map must list ranges in address order without overlaps, so no carve-out is planned from it";
            }
        }

        return null;
    }

    private static string Describe(FirmwareMemoryEntry e) => $"0x{e.Range.Start:x}-0x{e.Range.End - 1:x} {e.Type}";

    /// <summary>
    /// Builds a map from <c>BIOS-e820:</c> lines of a boot log (both the 7.x spelling
    /// "System RAM"/"device reserved" and the older "usable"/"reserved").
    /// </summary>
    public static FirmwareMemoryMap ParseE820Log(string text)
    {
        var entries = new List<FirmwareMemoryEntry>();
        foreach (var line in text.Split('\n'))
        {
            var at = line.IndexOf("BIOS-e820: [mem ", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var rest = line[(at + "BIOS-e820: [mem ".Length)..];
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            var bounds = rest[..close].Split('-');
            var start = ulong.Parse(bounds[0].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(bounds[1].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var type = rest[(close + 1)..].Trim() switch
            {
                "usable" or "System RAM" => SystemRamType,
                "reserved" or "device reserved" or "soft reserved" => "Reserved",
                "ACPI data" => "ACPI Tables",
                var other => other,
            };
            entries.Add(new FirmwareMemoryEntry(new MemoryRange(start, end + 1), type));
        }

        return new FirmwareMemoryMap([.. entries.OrderBy(e => e.Range.Start)]);
    }

    private static ulong ParseAddress(MachineRoot root, string file)
    {
        var text = root.ReadText(file).Trim();
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (!ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new MachineReadException(root.Resolve(file), detail: $"'{text}' is not a hexadecimal address");
        }

        return value;
    }
}
