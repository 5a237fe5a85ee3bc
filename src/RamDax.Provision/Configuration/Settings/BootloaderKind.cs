using System.Text.Json.Serialization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>The bootloader backend that carries the kernel arguments.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<BootloaderKind>))]
public enum BootloaderKind
{
    Auto,
    Grub,
    Bls,
    KernelInstall,
    None,
}
