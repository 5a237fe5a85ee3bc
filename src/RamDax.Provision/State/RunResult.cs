using System.Text.Json.Serialization;

namespace RamDax.Provision.State;

/// <summary>How a run ended.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RunResult>))]
public enum RunResult
{
    Running,
    Converged,
    RebootPending,
    Rebooting,
    Failed,
}
