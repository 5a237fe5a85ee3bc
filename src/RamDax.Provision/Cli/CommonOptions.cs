using System.Collections.Immutable;
using System.CommandLine;
using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Cli;

/// <summary>The options several commands share, and how they become requests.</summary>
public static class CommonOptions
{
    public static Option<string> Root() => new("--root")
    {
        Description = "Read (and, for apply, change) the machine under this directory instead of /, like systemctl --root",
        DefaultValueFactory = _ => "/",
        HelpName = "DIR",
    };

    public static Option<string[]> Config() => new("--config")
    {
        Description = "Another configuration file (YAML, or #cloud-config with a ramdax: key); repeatable, later wins",
        HelpName = "FILE",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Set one key, e.g. --set carveout.size=64G or --set instance.type=m7i.4xlarge; repeatable, wins over everything",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string> Format() => new Option<string>("--format")
    {
        Description = "Output for people (text) or for programs (json)",
        DefaultValueFactory = _ => "text",
        HelpName = "text|json",
    }.AcceptOnlyFromAmong("text", "json");

    public static Option<bool> Offline() => new("--offline")
    {
        Description = "Do not read instance metadata or cloud-init; only the local configuration applies (the early-boot unit uses this)",
    };

    /// <summary>The configuration request the options describe.</summary>
    public static ConfigurationRequest Request(MachineRoot root, string[]? configs, string[]? sets) =>
        new(root, [.. configs ?? []], [.. sets ?? []]);
}
