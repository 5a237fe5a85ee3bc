namespace RamDax.Provision.Machine;

/// <summary>A range of physical addresses, <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
public readonly record struct MemoryRange(ulong Start, ulong End)
{
    public ulong Size => End - Start;

    public bool Contains(MemoryRange other) => other.Start >= Start && other.End <= End;

    public bool Overlaps(MemoryRange other) => other.Start < End && Start < other.End;

    /// <summary>What is left of <paramref name="range"/> once every range of <paramref name="holes"/> is taken out, in order.</summary>
    public static List<MemoryRange> Subtract(MemoryRange range, IEnumerable<MemoryRange> holes)
    {
        var parts = new List<MemoryRange> { range };
        foreach (var hole in holes)
        {
            var next = new List<MemoryRange>(parts.Count + 1);
            foreach (var part in parts)
            {
                if (!part.Overlaps(hole))
                {
                    next.Add(part);
                    continue;
                }

                if (hole.Start > part.Start)
                {
                    next.Add(part with { End = hole.Start });
                }

                if (hole.End < part.End)
                {
                    next.Add(part with { Start = hole.End });
                }
            }

            parts = next;
        }

        return parts;
    }

    public override string ToString() => $"0x{Start:x}-0x{(End == 0 ? 0 : End - 1):x}";
}
