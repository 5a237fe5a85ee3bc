namespace RamDax.Provision.Tests.Support;

/// <summary>Paths of the fixtures under tests/fixtures.</summary>
public static class Fixtures
{
    public static string Directory { get; } = Find();

    public static string Root(string name) => Path.Join(Directory, "roots", name);

    public static string Capture(string relative) => Path.Join(Directory, "captures", relative);

    public static string Read(string relative) => File.ReadAllText(Capture(relative));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Join(dir.FullName, "tests", "fixtures");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }
}
