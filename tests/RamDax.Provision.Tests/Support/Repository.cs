namespace RamDax.Provision.Tests.Support;

/// <summary>Paths inside the repository, found from the test binary's location.</summary>
public static class Repository
{
    public static string Top { get; } = FindTop();

    private static string FindTop()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Join(dir.FullName, "RamDax.Provision.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository from " + AppContext.BaseDirectory);
    }
}
