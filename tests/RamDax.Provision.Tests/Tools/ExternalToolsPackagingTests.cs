using System.Reflection;
using System.Text.RegularExpressions;
using RamDax.Provision.Tests.Support;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Tools;

/// <summary>
/// Every program the agent runs is in the one tool list with its Debian package, and the .deb
/// brings that package along: a new entry in <see cref="ExternalTools"/> without a package, or a
/// package the .deb forgets, fails here instead of on a user's host.
/// </summary>
public sealed partial class ExternalToolsPackagingTests
{
    // Debian policy 3.8: Essential packages are always installed and are not declared as dependencies.
    private static readonly HashSet<string> EssentialPackages = ["coreutils"];

    private static IEnumerable<string> AgentPrograms() =>
        typeof(ExternalTools).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_program_the_agent_runs_is_listed_with_who_runs_it()
    {
        var missing = AgentPrograms()
            .Where(p => !HostTools.All.Any(t => t.Program == p && (t.Roles.Contains(HostToolRole.Agent) || t.Roles.Contains(HostToolRole.AgentOptional))))
            .ToList();

        Assert.True(missing.Count == 0, $"add to tests/host-tools.tsv with its Debian package and the role agent or agent-optional: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_agent_row_of_the_list_is_a_program_the_agent_names()
    {
        var named = AgentPrograms().ToHashSet(StringComparer.Ordinal);
        var stale = HostTools.All
            .Where(t => (t.Roles.Contains(HostToolRole.Agent) || t.Roles.Contains(HostToolRole.AgentOptional)) && !named.Contains(t.Program))
            .Select(t => $"{t.Program} (line {t.Line})")
            .ToList();

        Assert.True(stale.Count == 0, $"tests/host-tools.tsv lists programs ExternalTools does not name: {string.Join(", ", stale)}");
    }

    [Fact]
    public void The_package_depends_on_the_package_of_every_program_the_agent_always_runs()
    {
        var control = DebianControl.Read();
        var missing = HostTools.All
            .Where(t => t.Roles.Contains(HostToolRole.Agent))
            .Where(t => t.Package is null || (!EssentialPackages.Contains(t.Package) && !control.Depends.Contains(t.Package)))
            .Select(t => $"{t.Program} ({t.Package ?? "no package"})")
            .ToList();

        Assert.True(missing.Count == 0, $"packaging/deb/debian/control's Depends lacks the packages of: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_package_at_least_suggests_the_package_of_every_program_of_an_optional_backend()
    {
        var control = DebianControl.Read();
        var missing = HostTools.All
            .Where(t => t.Roles.Contains(HostToolRole.AgentOptional) && t.Package is not null)
            .Where(t => !control.Depends.Contains(t.Package!) && !control.Recommends.Contains(t.Package!) && !control.Suggests.Contains(t.Package!))
            .Select(t => $"{t.Program} ({t.Package})")
            .ToList();

        Assert.True(missing.Count == 0, $"packaging/deb/debian/control names neither in Depends, Recommends nor Suggests: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_program_a_host_test_or_the_build_runs_has_a_debian_package()
    {
        var orphans = HostTools.All
            .Where(t => (t.Roles.Contains(HostToolRole.Test) || t.Roles.Contains(HostToolRole.Build)) && t.Package is null)
            .Select(t => t.Program)
            .ToList();

        Assert.True(orphans.Count == 0, $"tests/run.sh cannot install these (no Debian package): {string.Join(", ", orphans)}");
    }

    [Fact]
    public void Every_program_a_test_gate_names_is_in_the_list()
    {
        var named = HostTools.All.Select(t => t.Program).ToHashSet(StringComparer.Ordinal);
        var gated = typeof(ExternalToolsPackagingTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetCustomAttributesData())
            .Where(a => a.AttributeType == typeof(HostFactAttribute) || a.AttributeType == typeof(HostTheoryAttribute))
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[1].Value!).Select(v => (string)v.Value!))
            .Distinct()
            .ToList();

        Assert.NotEmpty(gated);
        Assert.True(gated.All(named.Contains), $"tests need programs tests/host-tools.tsv does not list: {string.Join(", ", gated.Where(p => !named.Contains(p)))}");
    }

    [Fact]
    public void The_list_is_read_as_the_shell_script_reads_it()
    {
        // tests/host-tools.sh reads the same file with awk; a row it would split differently fails here.
        Assert.All(HostTools.All, t => Assert.Matches(ProgramPattern(), t.Program));
        Assert.Contains(HostTools.All, t => t.Program == ExternalTools.Udevadm && t.Package == "udev");
    }

    [GeneratedRegex(@"^(/[A-Za-z0-9._/+-]+|[A-Za-z0-9._+-]+)$")]
    private static partial Regex ProgramPattern();
}
