using RamDax.Provision.Boot;
using RamDax.Provision.Machine;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Boot;

public sealed class NextBootReaderTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static string Show(IEnumerable<BootArgument> arguments) => string.Join(" | ", arguments.Select(a => $"{a.Argument} @ {a.Source}"));

    [Fact]
    public void The_captured_debian_defaults_give_the_arguments_of_GRUB_CMDLINE_LINUX_with_their_line()
    {
        var notes = new List<string>();

        var arguments = GrubDefaults.Evaluate(File.ReadAllText(Path.Join(Fixtures.Root("qemu-trixie-6G"), "etc/default/grub")), "/etc/default/grub", notes);

        Assert.Equal("console=ttyS0,115200 @ /etc/default/grub line 10 | panic=-1 @ /etc/default/grub line 10", Show(arguments));
        Assert.Empty(notes); // GRUB_DISTRIBUTOR's command substitution sets no command line
    }

    [Fact]
    public void A_drop_in_that_appends_adds_its_arguments_after_the_ones_it_keeps()
    {
        _root.CopyFixture("roots/qemu-trixie-6G").CopyFixture("roots/next-boot/zz-capture");

        var next = NextBootReader.Read(_root.Root);

        var grub = Assert.Single(next.CommandLines);
        Assert.Equal(GrubDefaults.Name, grub.Name);
        Assert.Equal(
            "console=ttyS0,115200 @ /etc/default/grub line 10 | panic=-1 @ /etc/default/grub line 10 | memmap=2G!4G @ /etc/default/grub.d/zz-capture.cfg line 1",
            Show(grub.Arguments));
        Assert.Empty(next.Notes);
    }

    [Fact]
    public void The_agents_own_drop_in_is_not_read()
    {
        _root.CopyFixture("roots/qemu-trixie-6G").CopyFixture("roots/next-boot/grub-own-drop-in");

        Assert.DoesNotContain(GrubDropIn.DropInPath, GrubDefaults.Files(_root.Root));
        Assert.DoesNotContain(NextBootReader.Read(_root.Root).CommandLines.Single().Arguments, a => a.Argument.StartsWith("memmap=", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dollar_escaped_for_sh_and_for_grub_reads_as_the_kernel_gets_it()
    {
        _root.CopyFixture("roots/qemu-trixie-6G").CopyFixture("roots/next-boot/grub-reserved-pending");

        var arguments = NextBootReader.Read(_root.Root).CommandLines.Single().Arguments;

        Assert.Contains(new BootArgument("memmap=1G$6G", "/etc/default/grub line 9"), arguments);
    }

    [Theory]
    [InlineData("GRUB_CMDLINE_LINUX=\"$(cat /etc/extra-args)\"\n", "command substitution")]
    [InlineData("GRUB_CMDLINE_LINUX=\"`cat /etc/extra-args`\"\n", "command substitution")]
    [InlineData("GRUB_CMDLINE_LINUX=\"${EXTRA:-mem=4G}\"\n", "${...}")]
    [InlineData("GRUB_CMDLINE_LINUX+=\" mem=4G\"\n", "+=")]
    [InlineData("GRUB_CMDLINE_LINUX=\"mem=4G\n", "not closed")]
    public void A_command_line_set_with_more_shell_than_assignments_is_named_not_guessed(string text, string problem)
    {
        var notes = new List<string>();

        var arguments = GrubDefaults.Evaluate("GRUB_TIMEOUT=5\n" + text, "/etc/default/grub.d/50-extra.cfg", notes);

        Assert.Empty(arguments);
        var note = Assert.Single(notes);
        Assert.StartsWith("/etc/default/grub.d/50-extra.cfg line 2: ", note, StringComparison.Ordinal);
        Assert.Contains(problem, note, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotes_continuations_exports_and_variables_are_read_as_sh_reads_them()
    {
        var notes = new List<string>();
        var text = "EXTRA='mem=6G'\nexport GRUB_CMDLINE_LINUX=\"quiet \\\n  $EXTRA\"  # trailing comment\nGRUB_CMDLINE_LINUX_DEFAULT=${GRUB_CMDLINE_LINUX_DEFAULT}memmap=1G!8G; GRUB_TIMEOUT=1\n";

        var arguments = GrubDefaults.Evaluate(text, "/etc/default/grub", notes);

        Assert.Empty(notes);
        Assert.Equal("quiet @ /etc/default/grub line 2 | mem=6G @ /etc/default/grub line 2 | memmap=1G!8G @ /etc/default/grub line 4", Show(arguments));
    }

    [Fact]
    public void The_kernel_install_command_line_is_read_whole()
    {
        _root.CopyFixture("roots/qemu-trixie-6G").CopyFixture("roots/next-boot/kernel-install-pmem");

        var lines = NextBootReader.Read(_root.Root).CommandLines;

        Assert.Equal([GrubDefaults.Name, "/etc/kernel/cmdline"], lines.Select(l => l.Name));
        Assert.Contains(new BootArgument("memmap=1G!6G", "/etc/kernel/cmdline"), lines[1].Arguments);
    }

    [Fact]
    public void A_machine_without_boot_configuration_files_has_no_next_boot_arguments()
    {
        _root.CopyFixture("roots/qemu-6G-memmap2G");

        var next = NextBootReader.Read(_root.Root);

        Assert.Empty(next.CommandLines);
        Assert.Empty(next.Notes);
    }

    [Fact]
    public void A_fifo_where_a_grub_drop_in_belongs_is_an_error_naming_it()
    {
        _root.CopyFixture("roots/qemu-trixie-6G");
        Directory.CreateDirectory(_root.Root.Resolve("/etc/default/grub.d"));
        var fifo = _root.Root.Resolve("/etc/default/grub.d/50-fifo.cfg");
        Configuration.YamlLayerReaderLimitsTests.MakeFifo(fifo);

        var e = Assert.Throws<MachineReadException>(() => NextBootReader.Read(_root.Root));

        Assert.Equal(fifo, e.Path);
    }
}
