using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Architecture;

/// <summary>
/// The tests mirror the source: every folder of the agent (at every depth) has a test folder of the
/// same path with tests in it, and the tests have no folders besides those and a few of their own.
/// A folder with code of its own needs a <c>*Tests.cs</c> file right in its test folder; a folder
/// that only groups others (Metadata/Providers) is covered by the tests of its subfolders.
/// </summary>
public sealed class TestFolderTests
{
    private static readonly string Sources = Path.Join(Repository.Top, "src", "RamDax.Provision");
    private static readonly string Tests = Path.Join(Repository.Top, "tests", "RamDax.Provision.Tests");

    /// <summary>The folders only the tests have: their checks, real-system tests, helpers and fakes.</summary>
    private static readonly string[] TestOnly = ["Architecture", "Integration", "Support", "Metadata/Fakes", "Reconcile/Support"];

    [Fact]
    public void Every_source_folder_has_a_test_folder_with_tests_of_it()
    {
        var folders = Folders(Sources);

        var missing = MissingTests(Sources, Tests);

        Assert.True(folders.Count > 10, $"only {folders.Count} folders were found under {Sources}: the source was not read");
        Assert.True(missing.Count == 0, "these source folders have no *Tests.cs file in the test folder of the same path:\n"
            + string.Join('\n', missing.Select(f => $"src/RamDax.Provision/{f} -> tests/RamDax.Provision.Tests/{f}")));
    }

    [Fact]
    public void Every_test_folder_mirrors_a_source_folder_or_is_one_of_the_tests_own()
    {
        var sources = Folders(Sources).ToHashSet(StringComparer.Ordinal);
        var tests = Folders(Tests).Where(f => Directory.EnumerateFiles(Under(Tests, f), "*.cs").Any()).ToList();

        var strays = tests
            .Where(f => !sources.Contains(f) && !TestOnly.Any(t => f == t || f.StartsWith(t + "/", StringComparison.Ordinal)))
            .ToList();

        Assert.True(tests.Count > 10, $"only {tests.Count} folders with tests were found under {Tests}");
        Assert.True(strays.Count == 0, "these test folders mirror no source folder (move their tests to the folder of the code they test):\n"
            + string.Join('\n', strays.Select(f => $"tests/RamDax.Provision.Tests/{f}")));
    }

    [Fact]
    public void The_check_sees_a_source_folder_without_tests()
    {
        using var temp = new TempRoot("ramdax-folders-");
        temp.Write("/src/Program.cs", "")
            .Write("/src/A/A.cs", "")
            .Write("/src/B/B.cs", "")
            .Write("/src/C/C.cs", "")
            .Write("/src/P/Q/Q.cs", "")
            .Write("/src/R/S/S.cs", "")
            .Write("/src/obj/Generated.cs", "")
            .Write("/tests/ProgramTests.cs", "")
            .Write("/tests/A/ATests.cs", "")
            .Write("/tests/B/Helper.cs", "")
            .Write("/tests/C/D/DTests.cs", "")
            .Write("/tests/P/Q/QTests.cs", "");

        var missing = MissingTests(Path.Join(temp.Path, "src"), Path.Join(temp.Path, "tests"));

        Assert.Equal(["B", "C", "R", "R/S"], missing);
    }

    /// <summary>The source folders (relative, with '/'; "" is the top) whose test folder lacks tests.</summary>
    private static List<string> MissingTests(string sources, string tests) =>
        [.. Folders(sources).Where(f => !HasTests(Under(tests, f), ownCode: Directory.EnumerateFiles(Under(sources, f), "*.cs").Any()))];

    private static bool HasTests(string testFolder, bool ownCode) =>
        Directory.Exists(testFolder)
        && Directory.EnumerateFiles(testFolder, "*Tests.cs", ownCode ? SearchOption.TopDirectoryOnly : SearchOption.AllDirectories).Any();

    /// <summary>The top and every folder below it, leaving out build output.</summary>
    private static List<string> Folders(string top) =>
    [
        "",
        .. Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(top, d).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(d => !d.Split('/').Any(part => part is "bin" or "obj" or "TestResults"))
            .Order(StringComparer.Ordinal),
    ];

    private static string Under(string top, string relative) => relative.Length == 0 ? top : Path.Join(top, relative);
}
