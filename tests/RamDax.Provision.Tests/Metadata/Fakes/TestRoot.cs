namespace RamDax.Provision.Tests.Metadata.Fakes;

/// <summary>A temporary machine root that a test fills with the files it needs; deleted afterwards.</summary>
public sealed class TestRoot : IDisposable
{
    public TestRoot()
    {
        Path = Directory.CreateTempSubdirectory("ramdax-root-").FullName;
    }

    public string Path { get; }

    public Provision.Machine.MachineRoot Machine => new(Path);

    /// <summary>Writes <paramref name="text"/> at <paramref name="absolute"/> (as on the machine) under the root.</summary>
    public TestRoot Write(string absolute, string text)
    {
        var path = System.IO.Path.Join(Path, absolute.TrimStart('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    /// <summary>Copies a fixture tree (relative to <c>tests/fixtures</c>) into the root.</summary>
    public TestRoot CopyFixture(string relative)
    {
        var source = Fixtures.Path(relative);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Join(Path, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Finds <c>tests/fixtures</c> from the test binaries.</summary>
public static class Fixtures
{
    public static string Path(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Join(directory.FullName, "tests", "fixtures", relative);
            if (Directory.Exists(candidate) || File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/fixtures/{relative} not found above {AppContext.BaseDirectory}");
    }
}
