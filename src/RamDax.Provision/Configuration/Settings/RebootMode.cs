using System.Text.Json.Serialization;

namespace RamDax.Provision.Configuration.Settings;

/// <summary>How the agent restarts the machine once the kernel arguments are written.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RebootMode>))]
public enum RebootMode
{
    Auto,
    Never,
    Kexec,
}
