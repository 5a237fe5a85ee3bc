using RamDax.Provision.State;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.State;

public sealed class StateFileTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("{\"version\": 99}", "version 99")]
    [InlineData("{\"version\": 1, \"kernel_arguments\": null}", "missing or null")]
    [InlineData("{\"version\": 1, \"kernel_arguments\": {\"owned\": null}}", "damaged")]
    [InlineData("{}", "it has no format")]
    [InlineData("{\"format\": 3}", "format 3")]
    [InlineData("{\"format\": 2}", "missing or null")]
    [InlineData("{\"format\": 2, \"kernel_arguments\": {\"wanted\": [], \"owned\": [], \"files\": [], \"reboot\": \"NOT_NEEDED\"}, \"namespaces\": []}", "not the JSON")]
    [InlineData("{\"version\": 1}", "missing or null")]
    [InlineData("{\"version\": 1, \"last_run\": {\"command\": \"apply\"}}", "missing or null")]
    [InlineData("[1, 2]", "not the JSON")]
    [InlineData("{\"version\": \"one\"}", "not the JSON")]
    [InlineData("null", "holds null")]
    [InlineData("{", "not the JSON")]
    public void A_damaged_or_foreign_state_file_is_an_error_naming_it_and_the_way_out(string json, string reason)
    {
        _root.Write(StateStore.StatePath, json);

        var e = Assert.Throws<StateDamagedException>(() => new StateStore(_root.Root).Read());

        Assert.Contains(_root.Root.Resolve(StateStore.StatePath), e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("ramdax-provision revert", e.Message, StringComparison.Ordinal);
        Assert.Contains("ramdax-provision clean", e.Message, StringComparison.Ordinal);
        Assert.Equal(66, e.ExitCode);
    }

    [Fact]
    public void A_state_file_that_is_a_directory_is_an_error_not_an_empty_state()
    {
        Directory.CreateDirectory(_root.Root.Resolve(StateStore.StatePath));

        var e = Assert.Throws<StateDamagedException>(() => new StateStore(_root.Root).Read());

        Assert.Contains("a directory, not a regular file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"driver\": \"ramdax\"}")]
    [InlineData("{\"driver\": \"ramdax\", \"carveouts\": [], \"namespaces\": [], \"warnings\": [], \"memory\": {\"system_ram\": 1, \"carved\": 0, \"left_for_os\": 1}, \"kernel_arguments\": {\"wanted\": [], \"add\": [], \"remove\": [\"root=/dev/vda1\"]}}")]
    public void A_damaged_recorded_plan_is_an_error_before_anything_acts_on_it(string json)
    {
        _root.Write(PlanRecord.PlanPath, json);

        var e = Assert.Throws<StateDamagedException>(() => new PlanRecord(_root.Root).Read());

        Assert.Contains("plan.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_arguments_of_the_agents_own_making_stay_owned_whatever_the_file_says()
    {
        _root.Write(StateStore.StatePath, """
            {"version": 1, "namespaces": [], "kernel_arguments": {"wanted": [], "files": [], "owned": ["memmap=4G!8G,2G!16G", "root=/dev/vda1", "modprobe.blacklist=nd_e820", "nokaslr", "memmap=4G$8G", "quiet"]}}
            """);

        var state = new StateStore(_root.Root).Read();

        Assert.Equal<string>(["memmap=4G!8G,2G!16G", "modprobe.blacklist=nd_e820", "nokaslr"], state.KernelArguments.Owned);
    }

    [Theory]
    [InlineData("memmap=4G!8G", true)]
    [InlineData("memmap=1536M!4G,512M!12G", true)]
    [InlineData("memmap=4G!0", true)]
    [InlineData("modprobe.blacklist=nd_e820", true)]
    [InlineData("nokaslr", true)]
    [InlineData("memmap=4G$8G", false)]
    [InlineData("memmap=4G!8G root=/dev/sda", false)]
    [InlineData("modprobe.blacklist=nd_pmem", false)]
    [InlineData("root=/dev/vda1", false)]
    [InlineData("", false)]
    public void Own_arguments_are_only_the_memmap_carve_outs_the_blacklist_and_nokaslr(string argument, bool own)
    {
        Assert.Equal(own, OwnArguments.IsOwn(argument));
    }
}
