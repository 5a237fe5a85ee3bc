using System.Collections.Immutable;
using System.Globalization;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// The memory arguments the agent did not write, on the running command line and in the boot
/// configuration the next boot will use: ranges that someone else made persistent or reserved,
/// and the <c>mem=</c> limit above which the kernel gives the OS nothing. The planner keeps clear
/// of them and counts them as the kernel does.
/// </summary>
public sealed record ForeignMemory(ImmutableArray<ForeignRange> Ranges, ulong? Limit, int MemmapEntries, ImmutableArray<string> Notes)
{
    public static ForeignMemory None { get; } = new([], null, 0, []);

    /// <summary>The persistent-memory ranges: ramdax or nd_e820 would bind them with ours.</summary>
    public IEnumerable<ForeignRange> Persistent => Ranges.Where(r => r.Kind == ForeignKind.Persistent);

    /// <summary>
    /// Reads every <c>memmap=</c> and <c>mem=</c> of <paramref name="commandLine"/> and of
    /// <paramref name="nextBoot"/> that is not in <paramref name="owned"/> (the arguments the agent
    /// wrote, from its state). A range written in several places is one range; the lowest
    /// <c>mem=</c> of all is the limit.
    /// </summary>
    public static ForeignMemory From(KernelCommandLine commandLine, IEnumerable<string> owned, NextBootArguments? nextBoot = null)
    {
        var ours = owned.ToHashSet(StringComparer.Ordinal);
        var ranges = new List<ForeignRange>();
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.AddRange(nextBoot?.Notes ?? []);
        ulong? limit = null;

        // The decompressor counts every entry of one command line (kaslr.c mem_avoid_memmap); an
        // entry that both the running and the next command line have is one entry.
        var entries = new Dictionary<(ulong Size, ForeignKind Kind, ulong Start), int>();
        IEnumerable<IEnumerable<BootArgument>> lines =
        [
            commandLine.Arguments.Select(a => new BootArgument(a, KernelCommandLine.Path)),
            .. (nextBoot?.CommandLines ?? []).Select(l => (IEnumerable<BootArgument>)l.Arguments),
        ];
        foreach (var line in lines)
        {
            var counted = new Dictionary<(ulong, ForeignKind, ulong), int>();
            foreach (var (argument, source) in line)
            {
                if (ours.Contains(argument))
                {
                    continue;
                }

                var named = source == KernelCommandLine.Path ? argument : $"{argument} in {source}";
                if (argument.StartsWith("mem=", StringComparison.Ordinal))
                {
                    if (ParseSize(argument["mem=".Length..], out var bytes, out var rest) && rest.Length == 0 && bytes > 0)
                    {
                        limit = Math.Min(limit ?? ulong.MaxValue, bytes);
                    }

                    continue;
                }

                if (!argument.StartsWith("memmap=", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var entry in argument["memmap=".Length..].Split(','))
                {
                    if (entry == "exactmap")
                    {
                        notes.Add($"{named}: memmap=exactmap replaces the firmware map; the plan assumes the firmware map");
                        continue;
                    }

                    if (!ParseSize(entry, out var size, out var tail))
                    {
                        notes.Add($"{named}: '{entry}' is not a memmap entry the planner understands; it is ignored");
                        continue;
                    }

                    if (tail.Length == 0)
                    {
                        // memmap=nn alone limits memory like mem=nn.
                        limit = Math.Min(limit ?? ulong.MaxValue, size);
                        continue;
                    }

                    var kind = tail[0] switch
                    {
                        '!' => ForeignKind.Persistent,
                        '$' => ForeignKind.Reserved,
                        '#' => ForeignKind.Acpi,
                        _ => (ForeignKind?)null,
                    };
                    if (kind is null || !ParseSize(tail[1..], out var start, out var after) || after.Length != 0)
                    {
                        if (tail[0] != '@')
                        {
                            notes.Add($"{named}: '{entry}' is not a memmap entry the planner understands; it is ignored");
                        }

                        continue;
                    }

                    var key = (size, kind.Value, start);
                    counted[key] = counted.GetValueOrDefault(key) + 1;
                    if (size > 0)
                    {
                        Add(ranges, new ForeignRange(new MemoryRange(start, start + size), kind.Value, argument, source));
                    }
                }
            }

            foreach (var (key, count) in counted)
            {
                entries[key] = Math.Max(entries.GetValueOrDefault(key), count);
            }
        }

        return new ForeignMemory([.. ranges], limit, entries.Values.Sum(), notes.ToImmutable());
    }

    // One range per place and kind: a second mention adds where it is written.
    private static void Add(List<ForeignRange> ranges, ForeignRange range)
    {
        var same = ranges.FindIndex(r => r.Range == range.Range && r.Kind == range.Kind);
        if (same < 0)
        {
            ranges.Add(range);
        }
        else if (!ranges[same].Source.Split(" and ").Contains(range.Source, StringComparer.Ordinal))
        {
            ranges[same] = ranges[same] with { Source = $"{ranges[same].Source} and {range.Source}" };
        }
    }

    /// <summary>The kernel's memparse: a decimal or 0x number with an optional K, M, G, T, P or E suffix.</summary>
    private static bool ParseSize(string text, out ulong value, out string rest)
    {
        value = 0;
        rest = text;
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        var digits = hex ? text[2..] : text;
        var length = 0;
        while (length < digits.Length && (hex ? char.IsAsciiHexDigit(digits[length]) : char.IsAsciiDigit(digits[length])))
        {
            length++;
        }

        if (length == 0 || !ulong.TryParse(digits.AsSpan(0, length), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        rest = digits[length..];
        if (rest.Length > 0)
        {
            var shift = char.ToUpperInvariant(rest[0]) switch
            {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                'P' => 50,
                'E' => 60,
                _ => 0,
            };
            if (shift > 0)
            {
                if (value > (ulong.MaxValue >> shift))
                {
                    return false;
                }

                value <<= shift;
                rest = rest[1..];
            }
        }

        return true;
    }
}
