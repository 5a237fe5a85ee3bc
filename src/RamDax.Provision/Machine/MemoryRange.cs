namespace RamDax.Provision.Machine;

/// <summary>A range of physical addresses, <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
public readonly record struct MemoryRange(ulong Start, ulong End)
{
    public ulong Size => End - Start;

    public bool Contains(MemoryRange other) => other.Start >= Start && other.End <= End;

    public bool Overlaps(MemoryRange other) => other.Start < End && Start < other.End;

    public override string ToString() => $"0x{Start:x}-0x{(End == 0 ? 0 : End - 1):x}";
}
