using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Architecture;

/// <summary>
/// A newcomer finds a type by its name: each type of the agent has a file named after it in the
/// folder its namespace names, and each file declares one top-level type (a partial type may
/// spread over <c>Name.Part.cs</c> files).
/// </summary>
public sealed partial class SourceFileTests
{
    private static readonly string Sources = Path.Join(Repository.Top, "src", "RamDax.Provision");

    [Fact]
    public void Every_type_has_a_file_named_after_it_in_its_namespace_folder()
    {
        var types = typeof(ExitCodes).Assembly.GetTypes()
            .Where(t => !t.IsNested && t.Namespace?.StartsWith("RamDax.Provision", StringComparison.Ordinal) == true)
            .Where(t => !t.Name.Contains('<', StringComparison.Ordinal) && t.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !MadeByYamlGenerator(t))
            .ToList();

        var missing = types
            .Select(t => (Type: t, File: Path.Join([Sources, .. t.Namespace!.Split('.').Skip(2), BaseName(t) + ".cs"])))
            .Where(t => !File.Exists(t.File))
            .Select(t => $"{t.Type.FullName}: no {Path.GetRelativePath(Repository.Top, t.File)}")
            .ToList();

        Assert.True(types.Count > 100, $"only {types.Count} types were found: the assembly was not read");
        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    [Fact]
    public void Every_file_declares_one_top_level_type()
    {
        var files = Directory.EnumerateFiles(Sources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var crowded = files
            .Select(f => (File: f, Types: TopLevelDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value).ToList()))
            .Where(f => f.Types.Count > 1)
            .Select(f => $"{Path.GetRelativePath(Repository.Top, f.File)}: {string.Join(", ", f.Types)}")
            .ToList();

        Assert.True(files.Count > 100, $"only {files.Count} files were found under {Sources}");
        Assert.True(crowded.Count == 0, string.Join('\n', crowded));
    }

    [Fact]
    public void The_file_scan_sees_a_second_top_level_type()
    {
        const string Text = "namespace A;\n\npublic sealed record One(int X);\n\ninternal enum Two\n{\n    A,\n}\n\npublic class Three\n{\n    private sealed class Nested;\n}\n";

        var names = TopLevelDeclaration().Matches(Text).Select(m => m.Groups["name"].Value);

        Assert.Equal(["One", "Two", "Three"], names);
    }

    private static string BaseName(Type type) => type.Name.Split('`')[0];

    // YamlDotNet's static generator adds its factory, resolver and one accessor per document type
    // to the namespace of the context; they have no source file of ours. The context itself has one.
    private static bool MadeByYamlGenerator(Type type)
    {
        var yaml = typeof(YamlDotNet.Serialization.StaticContext).Assembly;
        return type != typeof(Provision.Configuration.Document.ConfigYamlContext)
            && (type.BaseType?.Assembly == yaml || type.GetInterfaces().Any(i => i.Assembly == yaml));
    }

    // File-scoped namespaces: a top-level type starts at the first column; nested ones are indented.
    [GeneratedRegex(@"^(?:(?:public|internal|file|sealed|static|abstract|partial|readonly|ref)\s+)*(?:class|record(?:\s+struct)?|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelDeclaration();
}
