using System.Text.Json.Serialization;
namespace RamDax.Provision.State;

/// <summary>How a step ended.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<StepStatus>))]
public enum StepStatus
{
    /// <summary>The step changed the machine and its part is now in place.</summary>
    Done,

    /// <summary>Its part was already in place; nothing was changed.</summary>
    AlreadyInPlace,

    /// <summary>Not run now, for the reason given (e.g. the kernel arguments are not live yet).</summary>
    Skipped,

    /// <summary>Waiting for something outside the agent (a reboot the operator does, a dry run).</summary>
    Pending,

    /// <summary>A reboot was requested; later steps run on the next boot.</summary>
    Rebooting,

    Failed,
}
