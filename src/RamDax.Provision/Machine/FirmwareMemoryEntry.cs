namespace RamDax.Provision.Machine;

/// <summary>One entry of the firmware memory map.</summary>
public sealed record FirmwareMemoryEntry(MemoryRange Range, string Type)
{
    /// <summary>The firmware's ordinary RAM, the only place a carve-out may go.</summary>
    public bool IsSystemRam => Type == FirmwareMemoryMap.SystemRamType;
}
