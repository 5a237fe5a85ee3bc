using System.Text.Json.Serialization;

namespace RamDax.Provision.State;

/// <summary>Where the machine is on the way to running with the wanted arguments.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RebootState>))]
public enum RebootState
{
    /// <summary>The running kernel has what is wanted (or nothing is wanted).</summary>
    NotNeeded,

    /// <summary>The boot configuration has the arguments; a reboot (left to the operator) will make them live.</summary>
    Pending,

    /// <summary>The agent asked for the reboot.</summary>
    Requested,

    /// <summary>The agent rebooted once and the arguments are still not live; it will not reboot again.</summary>
    Failed,
}
