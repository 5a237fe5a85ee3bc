using RamDax.Provision.Cli;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests;

public sealed class TopLevelFailureTests : IDisposable
{
    private readonly TempRoot _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Error) Report(Action action)
    {
        var error = new StringWriter();
        var code = TopLevelFailure.Run(() => { action(); return 0; }, error);
        return (code, error.ToString());
    }

    [Fact]
    public void A_full_device_is_an_IO_error_74_in_words()
    {
        var (code, error) = Report(() => File.WriteAllText("/dev/full", new string('x', 100_000)));

        Assert.Equal(ExitCodes.IoError, code);
        Assert.StartsWith("ramdax-provision: cannot write: no space left", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_where_a_file_belongs_is_cannot_create_73()
    {
        var (code, error) = Report(() => File.WriteAllText(_temp.Path, "x"));

        Assert.Equal(ExitCodes.CannotCreate, code);
        Assert.Contains(_temp.Path, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_where_a_directory_belongs_is_cannot_create_73()
    {
        File.WriteAllText(Path.Join(_temp.Path, "file"), "x");

        var (code, error) = Report(() => File.WriteAllText(Path.Join(_temp.Path, "file", "state.json"), "x"));

        Assert.Equal(ExitCodes.CannotCreate, code);
        Assert.Contains("file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_key_never_reaches_the_message()
    {
        var (code, error) = Report(() => throw new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, /var/lib/ramdax-provision/state.json"));

        Assert.Equal(ExitCodes.CannotCreate, code);
        Assert.DoesNotContain("UnauthorizedAccess_IODenied_Path", error, StringComparison.Ordinal);
        Assert.Contains("(/var/lib/ramdax-provision/state.json)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_defect_is_an_internal_error_70_without_a_stack_trace()
    {
        var (code, error) = Report(() => throw new InvalidOperationException("Sequence contains no elements"));

        Assert.Equal(ExitCodes.Internal, code);
        Assert.Equal("ramdax-provision: internal error, please report it: Sequence contains no elements" + Environment.NewLine, error);
    }

    [Fact]
    public void Apply_with_a_file_where_its_run_directory_belongs_ends_in_a_message_and_73()
    {
        _temp.CopyFixture("roots/qemu-6G-memmap2G");
        _temp.Write("/run/ramdax-provision", "not a directory");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = TopLevelFailure.Run(() => CommandLineApp.Run(["apply", "--root", _temp.Path, "--reboot", "never"], output, error), error);

        Assert.Equal(ExitCodes.CannotCreate, code);
        Assert.StartsWith("ramdax-provision: ", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }
}
