using System.Text.Json;
using RamDax.Provision.Cli;
using RamDax.Provision.Configuration;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Cli;

public sealed class CommandLineAppTests : IDisposable
{
    private static readonly string HandMadeRoot = Fixtures.PathTo("roots/qemu-6G-memmap2G");
    private readonly TempRoot _temp = new();

    // The capture less the memmap=2G!4G it was booted with by hand (foreign persistent memory, which plans refuse to take over).
    private string CapturedRoot => _captured ??= _temp.CopyFixture("roots/qemu-6G-memmap2G")
        .Write("/proc/cmdline", File.ReadAllText(Path.Join(HandMadeRoot, "proc/cmdline")).Replace(" memmap=2G!4G", "", StringComparison.Ordinal)).Path;

    private string? _captured;

    public void Dispose() => _temp.Dispose();

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CommandLineApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Plan_prints_the_json_contract()
    {
        var (exit, output, error) = Run("plan", "--root", CapturedRoot, "--format", "json",
            "--set", "carveout.size=2G", "--set", "namespaces.0.name=fast", "--set", "namespaces.0.size=rest", "--set", "instance.type=test-6g");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var carveout = root.GetProperty("carveouts")[0];
        Assert.Equal(5UL << 30, carveout.GetProperty("start").GetUInt64());
        Assert.Equal(2UL << 30, carveout.GetProperty("size").GetUInt64());
        Assert.Equal(JsonValueKind.Null, carveout.GetProperty("numa_node").ValueKind);
        Assert.Equal("memmap=2G!5G", root.GetProperty("kernel_arguments").GetProperty("wanted")[0].GetString());
        Assert.Equal("memmap=2G!5G", root.GetProperty("kernel_arguments").GetProperty("add")[0].GetString());
        Assert.Equal(0, root.GetProperty("kernel_arguments").GetProperty("remove").GetArrayLength());
        var ns = root.GetProperty("namespaces")[0];
        Assert.Equal(("fast", "fsdax", 0), (ns.GetProperty("name").GetString(), ns.GetProperty("mode").GetString(), ns.GetProperty("carveout").GetInt32()));
        Assert.Equal(2032UL << 20, ns.GetProperty("size").GetUInt64());
        Assert.Equal("test-6g", root.GetProperty("instance").GetProperty("type").GetString());
        Assert.Equal("ramdax", root.GetProperty("driver").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("warnings").ValueKind);
    }

    [Fact]
    public void Plan_on_the_recorded_test_guest_gives_the_carveout_the_end_to_end_test_expects()
    {
        var (exit, output, error) = Run("plan", "--root", Fixtures.PathTo("roots/qemu-trixie-6G"), "--offline", "--format", "json",
            "--config", Path.Join(Repository.Top, "tests/vm/scenarios/baked.yaml"));

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("memmap=2G!5G", json.RootElement.GetProperty("kernel_arguments").GetProperty("wanted")[0].GetString());
        Assert.Equal(0, json.RootElement.GetProperty("carveouts")[0].GetProperty("numa_node").GetInt32());
    }

    [Fact]
    public void Status_on_the_recorded_converged_guest_says_everything_is_in_place()
    {
        // The agent's own files from the end-to-end guest's warm reboot (scenario 2).
        var root = Fixtures.PathTo("roots/converged-6G");

        var (exit, output, error) = Run("status", "--root", root);
        var (jsonExit, json, _) = Run("status", "--root", root, "--format", "json");

        Assert.True(exit == 0, error);
        Assert.Contains("Everything planned is in place.", output, StringComparison.Ordinal);
        Assert.Contains("an earlier run of this boot put this plan in place", output, StringComparison.Ordinal);
        Assert.Equal(0, jsonExit);
        using var document = JsonDocument.Parse(json);
        var digest = document.RootElement.GetProperty("reconcile").GetProperty("plan_digest").GetString();
        var recorded = new Provision.State.PlanRecord(new Provision.Machine.MachineRoot(root)).Read()!;
        Assert.Equal(Provision.Reconcile.ReconcileReport.DigestOf(recorded), digest);
    }

    [Fact]
    public void Plan_shows_nothing_changes_when_nothing_is_configured()
    {
        var (exit, output, _) = Run("plan", "--root", CapturedRoot, "--format", "json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, json.RootElement.GetProperty("carveouts").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("instance").ValueKind);
    }

    [Fact]
    public void Plan_for_people_is_a_table()
    {
        var (exit, output, _) = Run("plan", "--root", CapturedRoot, "--set", "carveout.size=2G");

        Assert.Equal(0, exit);
        Assert.Contains("MEMMAP", output, StringComparison.Ordinal);
        Assert.Contains("2G!5G", output, StringComparison.Ordinal);
        Assert.Contains("add:     memmap=2G!5G modprobe.blacklist=nd_e820", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_explain_names_the_layer_of_each_setting()
    {
        var root = CapturedRoot;
        _temp.Write("/etc/ramdax-provision/config.yaml", "carveout:\n  size: 1G\n  min_os_memory: 3G\n");

        var (exit, output, error) = Run("plan", "--root", root, "--explain", "--set", "carveout.size=2G");

        Assert.True(exit == 0, error);
        Assert.Contains("carveout.min_os_memory  3G     /etc/ramdax-provision/config.yaml:3:18", output, StringComparison.Ordinal);
        Assert.Contains("carveout.size           2G     --set", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_the_machine_cannot_hold_is_refused_with_exit_3()
    {
        var (exit, _, error) = Run("plan", "--root", CapturedRoot, "--set", "carveout.size=8G");

        Assert.Equal(ExitCodes.PlanRefused, exit);
        Assert.Contains("the plan is refused: carving 8.00 GiB", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_shows_the_removal_of_the_agents_own_stale_arguments_from_its_state_as_apply_would()
    {
        var (exit, output, error) = Run("plan", "--root", Fixtures.PathTo("roots/converged-6G"), "--offline", "--format", "json", "--set", "carveout.size=1G");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var remove = json.RootElement.GetProperty("kernel_arguments").GetProperty("remove");
        Assert.Equal("memmap=2304M!4864M", Assert.Single(remove.EnumerateArray()).GetString());
    }

    [Fact]
    public void Persistent_memory_someone_set_up_by_hand_is_not_taken_over()
    {
        var (exit, _, error) = Run("plan", "--root", HandMadeRoot, "--set", "carveout.size=1G");

        Assert.Equal(ExitCodes.PlanRefused, exit);
        Assert.Contains("persistent memory the agent did not set up: memmap=2G!4G (0x100000000-0x17fffffff) in /proc/cmdline", error, StringComparison.Ordinal);
        Assert.Contains("carveout.adopt_foreign_pmem: true", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Adopting_persistent_memory_someone_set_up_by_hand_is_a_warning_of_the_plan_naming_the_range()
    {
        var (exit, output, error) = Run("plan", "--root", HandMadeRoot,
            "--set", "carveout.size=512M", "--set", "carveout.alignment=256M", "--set", "namespaces.0.name=a", "--set", "namespaces.0.size=rest",
            "--set", "carveout.adopt_foreign_pmem=true");

        Assert.True(exit == 0, error);
        Assert.Contains("  - carveout.adopt_foreign_pmem is true: ramdax takes over persistent memory the agent did not set up, memmap=2G!4G (0x100000000-0x17fffffff) in /proc/cmdline;",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_is_not_a_machine_is_an_error_naming_the_path()
    {
        var (exit, _, error) = Run("plan", "--root", _temp.Path);

        Assert.Equal(ExitCodes.InputMissing, exit);
        Assert.Contains(Path.Join(_temp.Path, "sys/firmware/memmap"), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_lists_every_error_with_file_line_and_column_and_exits_65()
    {
        var file = Path.Join(_temp.Path, "bad.yaml");
        File.WriteAllText(file, "carveout:\n  size: 64GB\n  colour: red\nnamespaces:\n  - {name: a, size: 1G, mode: tape}\n");

        var (exit, _, error) = Run("validate", file);

        Assert.Equal(65, exit);
        Assert.Contains($"{file}:2:9: carveout.size: '64GB' uses a decimal unit", error, StringComparison.Ordinal);
        Assert.Contains($"{file}:3:11: carveout.colour: unknown key", error, StringComparison.Ordinal);
        Assert.Contains($"{file}:5:31: namespaces[0].mode: 'tape' is not one of: fsdax, devdax", error, StringComparison.Ordinal);
        Assert.Contains("3 errors", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_a_cloud_config_with_the_old_ramdax_key_and_warns_that_cloud_init_rejects_it()
    {
        var file = Path.Join(_temp.Path, "user-data");
        File.WriteAllText(file, "#cloud-config\nhostname: db1\nramdax:\n  carveout: {size: 25%}\n  namespaces: [{name: db, size: rest, filesystem: {type: xfs}}]\n");

        var (exit, output, error) = Run("validate", file);

        Assert.Equal(0, exit);
        Assert.Contains("valid", output, StringComparison.Ordinal);
        Assert.Contains($"warning: {CloudConfigReader.LegacyKeyWarning(file)}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_of_a_cloud_config_with_a_write_files_drop_in_gives_no_warning()
    {
        var file = Path.Join(_temp.Path, "user-data");
        File.WriteAllText(file, "#cloud-config\nwrite_files:\n  - path: /etc/ramdax-provision/config.d/90-user-data.yaml\n    content: |\n      carveout: {size: 25%}\n      namespaces: [{name: db, size: rest, filesystem: {type: xfs}}]\n");

        var (exit, output, error) = Run("validate", file);

        Assert.Equal(0, exit);
        Assert.Contains("valid", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_version() =>
        Assert.Matches(@"^ramdax-provision \d+\.\d+\.\d+\n$", Run("version").Out.ReplaceLineEndings("\n"));

    [Theory]
    [InlineData("plan", "--explain")]
    [InlineData("validate", "FILE")]
    [InlineData("version", "Print the version")]
    public void Every_command_has_help(string command, string expected)
    {
        var (exit, output, _) = Run(command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plan", "--frobnicate")]
    [InlineData("apply", "--reboot", "sometimes")]
    [InlineData("revert", "--destroy")]
    [InlineData("frobnicate")]
    [InlineData]
    public void A_wrong_command_line_exits_2_and_says_what_was_wrong(params string[] args)
    {
        var (exit, output, error) = Run(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.StartsWith("ramdax-provision: ", error, StringComparison.Ordinal);
        Assert.Contains("--help'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_and_the_version_option_print_the_same_line()
    {
        var (exit, option, _) = Run("--version");

        Assert.Equal(0, exit);
        Assert.Equal(Run("version").Out, option);
    }

    [Fact]
    public void Validate_on_a_missing_file_says_so_plainly_and_exits_66()
    {
        var missing = Path.Join(_temp.Path, "no-such.yaml");

        var (exit, _, error) = Run("validate", missing);

        Assert.Equal(ExitCodes.InputMissing, exit);
        Assert.Equal($"ramdax-provision: cannot read {missing}: no such file\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Plan_json_with_explain_is_one_document_with_the_settings_inside()
    {
        var (exit, output, error) = Run("plan", "--root", CapturedRoot, "--format", "json", "--explain", "--set", "carveout.size=2G");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("memmap=2G!5G", json.RootElement.GetProperty("kernel_arguments").GetProperty("wanted")[0].GetString());
        var setting = Assert.Single(json.RootElement.GetProperty("settings").EnumerateArray());
        Assert.Equal(("carveout.size", "2G", "--set"), (setting.GetProperty("key").GetString(), setting.GetProperty("value").GetString(), setting.GetProperty("source").GetString()));
    }

    [Fact]
    public void Status_exits_1_and_says_why_when_the_last_run_failed()
    {
        _temp.CopyFixture("roots/converged-6G");
        var state = Path.Join(_temp.Path, "var/lib/ramdax-provision/state.json");
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"result\": \"Converged\"", "\"result\": \"Failed\"", StringComparison.Ordinal));

        var (exit, output, _) = Run("status", "--root", _temp.Path);
        var (jsonExit, _, _) = Run("status", "--root", _temp.Path, "--format", "json");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal(ExitCodes.Failed, jsonExit);
        Assert.Contains("not in place:    the last run (apply, 2026-11-29 14:21:54Z) failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_exits_1_when_the_wanted_arguments_are_not_live()
    {
        _temp.CopyFixture("roots/converged-6G");
        _temp.Write("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-7.3.4+deb13-amd64 root=/dev/vda1 ro\n");

        var (exit, output, _) = Run("status", "--root", _temp.Path);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("not in place:    the running kernel lacks memmap=2304M!4864M modprobe.blacklist=nd_e820", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_of_a_machine_with_nothing_planned_exits_0()
    {
        var (exit, output, error) = Run("status", "--root", CapturedRoot);

        Assert.True(exit == 0, output + error);
        Assert.DoesNotContain("not in place", output, StringComparison.Ordinal);
    }
}
