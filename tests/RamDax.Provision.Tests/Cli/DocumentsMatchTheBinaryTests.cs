using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using RamDax.Provision.Cli;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Cli;

/// <summary>
/// The manual page and the bash completion are written by hand; these tests hold them to the
/// System.CommandLine tree the executable parses with, both ways, so a documented option the
/// binary rejects (or an option nobody documented) fails the build.
/// </summary>
public sealed partial class DocumentsMatchTheBinaryTests
{
    private static readonly RootCommand Tree = CommandLineApp.Build(TextWriter.Null, TextWriter.Null);
    private static readonly string ManPage = File.ReadAllText(Path.Join(Repository.Top, "templates/man/ramdax-provision.8"));
    private static readonly string Completion = File.ReadAllText(Path.Join(Repository.Top, "templates/completion/ramdax-provision"));

    /// <summary>Every command of the binary with its long options (help left out: every command has it).</summary>
    private static SortedDictionary<string, SortedSet<string>> BinaryCommands() =>
        new(Tree.Subcommands.Where(c => !c.Hidden).ToDictionary(
            c => c.Name,
            c => new SortedSet<string>(c.Options.Where(o => o is not HelpOption && !o.Hidden).Select(o => o.Name), StringComparer.Ordinal)),
            StringComparer.Ordinal);

    private static string Unroff(string text) => text.Replace("\\-", "-", StringComparison.Ordinal).Replace("\\&", "", StringComparison.Ordinal);

    private static string Section(string name)
    {
        var header = $"\n.SH {name}\n";
        var start = ManPage.IndexOf(header, StringComparison.Ordinal);
        Assert.True(start >= 0, $"the manual page has no {name} section");
        var end = ManPage.IndexOf("\n.SH ", start + 1, StringComparison.Ordinal);
        return ManPage[(start + header.Length)..end];
    }

    private static SortedDictionary<string, SortedSet<string>> ManSynopsis()
    {
        var commands = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var block in Unroff(Section("SYNOPSIS")).Split("\n.br\n"))
        {
            var command = CommandInSynopsis().Match(block);
            Assert.True(command.Success, $"a SYNOPSIS block does not start with '.B ramdax-provision COMMAND': {block}");
            commands.Add(command.Groups[1].Value, new SortedSet<string>(LongOption().Matches(block).Select(m => m.Value), StringComparer.Ordinal));
        }

        return commands;
    }

    private static SortedDictionary<string, SortedSet<string>> CompletionCommands() =>
        new(CompletionOptions().Matches(Completion).ToDictionary(
            m => m.Groups[1].Value,
            m => new SortedSet<string>(m.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)),
            StringComparer.Ordinal);

    private static string Show(SortedDictionary<string, SortedSet<string>> commands) =>
        string.Join("\n", commands.Select(kv => $"{kv.Key}: {string.Join(' ', kv.Value)}"));

    [Fact]
    public void The_manual_pages_synopsis_lists_exactly_the_commands_and_options_the_binary_accepts() =>
        Assert.Equal(Show(BinaryCommands()), Show(ManSynopsis()));

    [Fact]
    public void The_bash_completion_offers_exactly_the_commands_and_options_the_binary_accepts()
    {
        Assert.Equal(Show(BinaryCommands()), Show(CompletionCommands()));
        var listed = CompletionCommandList().Match(Completion);
        Assert.True(listed.Success, "the completion has no commands='...' list");
        Assert.Equal(BinaryCommands().Keys, listed.Groups[1].Value.Split(' ').Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_manual_pages_options_section_describes_every_option_of_every_command_and_no_other()
    {
        var described = new SortedSet<string>(StringComparer.Ordinal);
        var lines = Unroff(Section("OPTIONS")).Split('\n');
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i] == ".TP" && LongOption().Match(lines[i + 1]) is { Success: true } option)
            {
                described.Add(option.Value);
            }
        }

        var accepted = new SortedSet<string>(BinaryCommands().Values.SelectMany(o => o), StringComparer.Ordinal);
        Assert.Equal(accepted, described);
    }

    [Fact]
    public void The_manual_pages_commands_section_describes_every_command_and_no_other()
    {
        var described = CommandsSectionEntry().Matches(Section("COMMANDS")).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        Assert.Equal(BinaryCommands().Keys, described);
    }

    [Fact]
    public void The_values_the_completion_offers_for_an_option_are_the_values_the_binary_accepts()
    {
        var offered = OptionValues().Matches(Completion).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Split(' '));
        Assert.NotEmpty(offered);
        foreach (var (name, values) in offered)
        {
            var options = Tree.Subcommands.SelectMany(c => c.Options).Where(o => o.Name == name).ToList();
            Assert.True(options.Count > 0, $"the completion offers values for {name}, which no command has");
            foreach (var option in options)
            {
                var accepted = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label);
                Assert.Equal(accepted.Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void A_documented_option_the_binary_rejects_would_be_caught()
    {
        // The comparison itself must be able to fail: an extra option in a synopsis shows up.
        var synopsis = ManSynopsis();
        synopsis["revert"].Add("--destroy");

        Assert.NotEqual(Show(BinaryCommands()), Show(synopsis));
    }

    [GeneratedRegex(@"\A\.B ramdax-provision ([a-z]+)$", RegexOptions.Multiline)]
    private static partial Regex CommandInSynopsis();

    [GeneratedRegex(@"--[a-z][a-z-]*[a-z]")]
    private static partial Regex LongOption();

    [GeneratedRegex(@"^\s+([a-z]+)\) options='([^']*)' ;;$", RegexOptions.Multiline)]
    private static partial Regex CompletionOptions();

    [GeneratedRegex(@"local commands='([^']*)'")]
    private static partial Regex CompletionCommandList();

    [GeneratedRegex(@"(?:\A|\n)\.TP\n\.BI? ([a-z]+)(?: "".*"")?$", RegexOptions.Multiline)]
    private static partial Regex CommandsSectionEntry();

    [GeneratedRegex(@"^\s+(--[a-z-]+)\)\n\s+COMPREPLY=\(\$\(compgen -W '([^'$]*)' -- ""\$cur""\)\)", RegexOptions.Multiline)]
    private static partial Regex OptionValues();
}
