using System.Collections.Immutable;

namespace RamDax.Provision.Tests.Support;

/// <summary>One row of <c>tests/host-tools.tsv</c>.</summary>
public sealed record HostTool(string Program, string? Package, ImmutableHashSet<HostToolRole> Roles, int Line)
{
    public static HostToolRole ParseRole(string word) => word switch
    {
        "agent" => HostToolRole.Agent,
        "agent-optional" => HostToolRole.AgentOptional,
        "build" => HostToolRole.Build,
        "test" => HostToolRole.Test,
        "guest" => HostToolRole.Guest,
        _ => throw new FormatException($"unknown role '{word}' in tests/host-tools.tsv (agent, agent-optional, build, test, guest)"),
    };
}
