namespace RamDax.Provision.Tests.Support;

/// <summary>Who runs a program of <c>tests/host-tools.tsv</c> (its third column).</summary>
public enum HostToolRole
{
    Agent,
    AgentOptional,
    Build,
    Test,
    Guest,
}
