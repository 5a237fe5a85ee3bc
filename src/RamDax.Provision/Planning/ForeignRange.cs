using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// One range a foreign <c>memmap=</c> entry takes away from System RAM, with where it is written:
/// <c>/proc/cmdline</c>, a boot configuration file and line, or both.
/// </summary>
public sealed record ForeignRange(MemoryRange Range, ForeignKind Kind, string Argument, string Source = KernelCommandLine.Path);
