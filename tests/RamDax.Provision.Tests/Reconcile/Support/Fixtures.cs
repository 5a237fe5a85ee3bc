namespace RamDax.Provision.Tests.Reconcile.Support;

/// <summary>Finds the recorded captures under tests/fixtures, wherever the tests run from.</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> RepositoryRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "RamDax.Provision.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (RamDax.Provision.sln) above " + AppContext.BaseDirectory);
    });

    public static string Repository => RepositoryRoot.Value;

    /// <summary>A file of the QEMU captures: <c>first-boot-create/blkid-ext4.txt</c>.</summary>
    public static string Qemu(string relative) => Read(Path.Join("tests/fixtures/captures/qemu-debian13-7.3.4-memmap2G", relative));

    public static string Host(string relative) => Read(Path.Join("tests/fixtures/captures/host-loop-xfsprogs-6.1", relative));

    public static string Constructed(string relative) => Read(Path.Join("tests/fixtures/constructed", relative));

    public static string Read(string relative) => File.ReadAllText(Path.Join(Repository, relative));
}
