using System.Text.Json.Serialization;
using System.Collections.Immutable;
using System.Globalization;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>What a <c>memmap=</c> entry the agent does not own does to a range.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ForeignKind>))]
public enum ForeignKind
{
    /// <summary><c>nn!ss</c>: persistent memory (e820 type 12), a <c>/dev/pmemN</c> someone uses.</summary>
    Persistent,

    /// <summary><c>nn$ss</c>: reserved, the OS never uses it.</summary>
    Reserved,

    /// <summary><c>nn#ss</c>: ACPI data.</summary>
    Acpi,
}

/// <summary>One range a foreign <c>memmap=</c> entry takes away from System RAM.</summary>
public sealed record ForeignRange(MemoryRange Range, ForeignKind Kind, string Argument);

/// <summary>
/// The memory arguments on the running command line that the agent did not write: ranges that
/// someone else made persistent or reserved, and the <c>mem=</c> limit above which the kernel
/// gives the OS nothing. The planner keeps clear of them and counts them as the kernel does.
/// </summary>
public sealed record ForeignMemory(ImmutableArray<ForeignRange> Ranges, ulong? Limit, int MemmapEntries, ImmutableArray<string> Notes)
{
    public static ForeignMemory None { get; } = new([], null, 0, []);

    /// <summary>The persistent-memory ranges: ramdax or nd_e820 would bind them with ours.</summary>
    public IEnumerable<ForeignRange> Persistent => Ranges.Where(r => r.Kind == ForeignKind.Persistent);

    /// <summary>
    /// Reads every <c>memmap=</c> and <c>mem=</c> of <paramref name="commandLine"/> that is not in
    /// <paramref name="owned"/> (the arguments the agent wrote, from its state).
    /// </summary>
    public static ForeignMemory From(KernelCommandLine commandLine, IEnumerable<string> owned)
    {
        var ours = owned.ToHashSet(StringComparer.Ordinal);
        var ranges = ImmutableArray.CreateBuilder<ForeignRange>();
        var notes = ImmutableArray.CreateBuilder<string>();
        ulong? limit = null;
        var entries = 0;
        foreach (var argument in commandLine.Arguments)
        {
            if (ours.Contains(argument))
            {
                continue;
            }

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
                    notes.Add($"{argument}: memmap=exactmap replaces the firmware map; the plan assumes the firmware map");
                    continue;
                }

                if (!ParseSize(entry, out var size, out var tail))
                {
                    notes.Add($"{argument}: '{entry}' is not a memmap entry the planner understands; it is ignored");
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
                        notes.Add($"{argument}: '{entry}' is not a memmap entry the planner understands; it is ignored");
                    }

                    continue;
                }

                // The decompressor counts every entry with a start address toward its 4 (kaslr.c mem_avoid_memmap).
                entries++;
                if (size > 0)
                {
                    ranges.Add(new ForeignRange(new MemoryRange(start, start + size), kind.Value, argument));
                }
            }
        }

        return new ForeignMemory(ranges.ToImmutable(), limit, entries, notes.ToImmutable());
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
