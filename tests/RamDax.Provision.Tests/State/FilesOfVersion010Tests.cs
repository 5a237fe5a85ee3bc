using System.Text.Json;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;
using RamDax.Provision.Status;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.State;

/// <summary>
/// An upgrade keeps the state: the files 0.1.0 wrote (tests/fixtures/captures/agent-0.1.0, with
/// PascalCase words and <c>"version": 1</c>) read as the same values, and are written back in the
/// current format.
/// </summary>
public sealed class FilesOfVersion010Tests : IDisposable
{
    private readonly TempRoot _root = new();

    public FilesOfVersion010Tests()
    {
        var recorded = Fixtures.Capture("agent-0.1.0");
        _root.Write(StateStore.StatePath, File.ReadAllText(Path.Join(recorded, "state.json")));
        _root.Write(PlanRecord.PlanPath, File.ReadAllText(Path.Join(recorded, "plan.json")));
        _root.Write(ReconcileReport.StatusPath, File.ReadAllText(Path.Join(recorded, "status.json")));
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_state_file_of_0_1_0_reads_with_its_pascal_case_words()
    {
        var state = new StateStore(_root.Root).Read();

        Assert.Equal("iid-e2e-0001", state.InstanceId);
        Assert.Equal(BootloaderKind.Grub, state.KernelArguments.Backend);
        Assert.Equal(RebootState.NotNeeded, state.KernelArguments.Reboot);
        Assert.Equal<string>(["memmap=2304M!4864M", "modprobe.blacklist=nd_e820"], state.KernelArguments.Owned);
        Assert.Equal(RunResult.Converged, state.LastRun!.Result);
        Assert.Equal(4, state.LastRun.Steps.Length);
        Assert.All(state.LastRun.Steps, s => Assert.Equal(StepStatus.AlreadyInPlace, s.Status));
        Assert.Equal<string>(["e2e-ext4", "e2e-xfs", "e2e-dev"], state.Namespaces);
        Assert.Equal(ProvisionState.CurrentFormat, state.Format);
    }

    [Fact]
    public void The_state_of_0_1_0_is_written_back_in_the_current_format_with_the_same_values()
    {
        var store = new StateStore(_root.Root);
        var old = store.Read();

        store.Write(old);
        var text = File.ReadAllText(store.Path);
        var again = store.Read();

        using var json = JsonDocument.Parse(text);
        Assert.Equal(2, json.RootElement.GetProperty("format").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("version", out _));
        Assert.Equal("grub", json.RootElement.GetProperty("kernel_arguments").GetProperty("backend").GetString());
        Assert.Equal("not_needed", json.RootElement.GetProperty("kernel_arguments").GetProperty("reboot").GetString());
        Assert.Equal("converged", json.RootElement.GetProperty("last_run").GetProperty("result").GetString());
        Assert.Equal("already_in_place", json.RootElement.GetProperty("last_run").GetProperty("steps")[0].GetProperty("status").GetString());
        Assert.Equal(JsonSerializer.Serialize(old, StateJsonContext.Default.ProvisionState), JsonSerializer.Serialize(again, StateJsonContext.Default.ProvisionState));
    }

    [Fact]
    public void The_plan_and_status_files_of_0_1_0_read_and_the_plan_keeps_its_digest()
    {
        var plan = new PlanRecord(_root.Root).Read()!;
        var report = ReconcileReport.Read(_root.Root)!;

        Assert.Equal(DriverKind.Ramdax, plan.Driver);
        Assert.Equal([NamespaceMode.Fsdax, NamespaceMode.Fsdax, NamespaceMode.Devdax], plan.Namespaces.Select(n => n.Mode));
        Assert.Equal(10, report.Items.Length);
        Assert.Equal(3, report.Items.Count(i => i.State == ItemState.Created));
        Assert.True(report.AllInPlace);
        Assert.Equal(0, report.Format);
        // The digest 0.1.0 recorded for this plan is the one this agent computes: the run of the same boot is still recognised.
        Assert.Equal(report.PlanDigest, ReconcileReport.DigestOf(plan));
    }

    [Fact]
    public void Status_of_a_machine_left_by_0_1_0_prints_the_current_words()
    {
        var status = StatusReader.Read(_root.Root, FakeToolRunner.WithRealChroot());
        var json = JsonSerializer.Serialize(status, Provision.Output.ProvisionJsonContext.Default.StatusReport);

        Assert.StartsWith("{\n  \"format\": 1,", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"backend\": \"grub\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reboot\": \"not_needed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"result\": \"converged\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("AlreadyInPlace", json, StringComparison.Ordinal);
    }
}
