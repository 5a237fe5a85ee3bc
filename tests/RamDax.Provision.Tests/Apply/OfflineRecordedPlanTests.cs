using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RamDax.Provision.Apply;
using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Apply;

/// <summary>
/// <c>apply --offline</c> acts on plan.json only when the plan keeps the rules the configuration is
/// held to. The plan is the one the end-to-end guest recorded (fixtures roots/converged-6G: an ext4,
/// an XFS and a devdax namespace in one 2304M carve-out at 4864M), edited as a person might.
/// </summary>
public sealed class OfflineRecordedPlanTests : IDisposable
{
    private readonly TempRoot _root = new TempRoot().CopyFixture("roots/converged-6G");

    public void Dispose() => _root.Dispose();

    private string PlanFile => _root.Root.Resolve(PlanRecord.PlanPath);

    [Fact]
    public void The_plan_the_guest_recorded_keeps_every_rule()
    {
        Assert.Empty(Problems());
    }

    [Theory]
    [InlineData("namespaces[0].mount.path", "/", "namespaces[0].mount.path: '/' is the root filesystem")]
    [InlineData("namespaces[0].mount.path", "/etc", "namespaces[0].mount.path: '/etc' is a system directory")]
    [InlineData("namespaces[0].mount.path", "/var/lib/ramdax-provision/x", "namespaces[0].mount.path: '/var/lib/ramdax-provision/x' would cover /var/lib/ramdax-provision")]
    [InlineData("namespaces[0].mount.path", "/dax/fast", "namespaces[0].mount.path: '/dax/fast' is not below an allowed directory")]
    [InlineData("namespaces[1].mount.path", "/mnt/e2e-ext4/inner", "namespaces[1].mount.path: '/mnt/e2e-ext4/inner' is, holds or lies inside the mount path of namespaces[0]")]
    [InlineData("namespaces[0].filesystem.label", "", "namespaces[0].filesystem.label: a label must be a non-empty name")]
    [InlineData("namespaces[1].filesystem.label", "longer-than-12", "namespaces[1].filesystem.label: the xfs label 'longer-than-12' is longer than 12 bytes")]
    [InlineData("namespaces[0].mount.owner", "root;reboot", "namespaces[0].mount.owner: 'root;reboot' is not a user or group name")]
    [InlineData("namespaces[2].device.mode", "0999", "namespaces[2].device.mode: '0999' is not an octal mode")]
    [InlineData("namespaces[0].mode", "devdax", "namespaces[0]: a devdax namespace has no filesystem or mount")]
    [InlineData("namespaces[2].mode", "fsdax", "namespaces[2].device: device settings are for devdax namespaces")]
    [InlineData("namespaces[1].name", "e2e-ext4", "namespaces[1].name: 'e2e-ext4' is the name of an earlier namespace too")]
    [InlineData("namespaces[0].name", "../../etc", "namespaces[0].name: '../../etc' must be 1 to 63 letters")]
    public void A_hand_edited_value_the_configuration_would_refuse_is_refused_with_its_key(string key, string value, string expected)
    {
        Edit(key, JsonValue.Create(value));

        Assert.Contains(Problems(), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("namespaces[1].filesystem.mkfs_options", """["-l", "logdev=/dev/sda"]""", "namespaces[1].filesystem.mkfs_options[1]: -l logdev=/dev/sda: 'logdev' is not allowed here")]
    [InlineData("namespaces[0].filesystem.mkfs_options", """["/dev/sda"]""", "namespaces[0].filesystem.mkfs_options[0]: '/dev/sda' is not an option of the form -X")]
    [InlineData("namespaces[0].filesystem.mkfs_options", """["-J", "device=/dev/sda"]""", "namespaces[0].filesystem.mkfs_options[1]: -J device=/dev/sda: 'device' is not allowed here")]
    [InlineData("namespaces[0].mount.options", """["nodax"]""", "namespaces[0].mount.options[0]: 'nodax' contradicts")]
    [InlineData("namespaces[0].mount.options", """["rw,dax=never"]""", "namespaces[0].mount.options[0]: 'rw,dax=never' holds a comma")]
    [InlineData("namespaces[0].alignment", "12345", "namespaces[0].alignment: must be 4K, 2M or 1G")]
    [InlineData("namespaces[0].size", "99999999999", "namespaces[0].size: 99999999999 bytes at offset 0 do not fit in carve-out 0")]
    [InlineData("namespaces[0].wipe", "true", "namespaces[0].wipe: true, but no local configuration sets wipe for 'e2e-ext4'")]
    [InlineData("namespaces[0].reconfigure", "true", "namespaces[0].reconfigure: true, but no local configuration sets reconfigure")]
    [InlineData("carveouts[0].start", "5100273665", "carveouts[0]: start 5100273665 and size 2415919104 are not a memmap range")]
    [InlineData("carveouts[0].start", "1048576000000", "carveouts[0]: 0xf424000000-0xf4b3ffffff is not inside one System RAM range")]
    [InlineData("carveouts[0].start", "0", "carveouts[0]: 0x0-0x8fffffff is not inside one System RAM range")]
    [InlineData("kernel_arguments.wanted", """["memmap=2304M!4864M", "memmap=1G!1G", "modprobe.blacklist=nd_e820"]""", "kernel_arguments.wanted: [memmap=2304M!4864M, memmap=1G!1G, modprobe.blacklist=nd_e820] are not the arguments of the plan's carve-outs")]
    public void A_hand_edited_structure_the_configuration_would_refuse_is_refused_with_its_key(string key, string json, string expected)
    {
        Edit(key, JsonNode.Parse(json));

        Assert.Contains(Problems(), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Overlapping_carve_outs_are_refused()
    {
        var plan = ReadPlan();
        var carveouts = plan["carveouts"]!.AsArray();
        carveouts.Add(carveouts[0]!.DeepClone());
        Save(plan);

        Assert.Contains(Problems(), p => p.StartsWith("carveouts[1]: 0x130000000-0x1bfffffff overlaps carveouts[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Wipe_is_accepted_where_the_image_lets_instance_metadata_set_it()
    {
        Edit("namespaces[0].wipe", JsonValue.Create(true));
        _root.Write("/etc/ramdax-provision/config.yaml", "metadata_may_set: [wipe]\n");

        Assert.Empty(Problems());
    }

    [Fact]
    public void Wipe_is_accepted_where_the_local_configuration_sets_it_for_that_namespace()
    {
        Edit("namespaces[0].wipe", JsonValue.Create(true));
        _root.Write("/etc/ramdax-provision/config.yaml", """
            carveout:
              size: 2G
            namespaces:
              - name: e2e-ext4
                size: 512M
                wipe: true
            """);

        Assert.Empty(Problems());
    }

    [Fact]
    public void A_mount_below_a_prefix_the_image_allows_is_accepted()
    {
        Edit("namespaces[0].mount.path", JsonValue.Create("/dax/fast"));
        _root.Write("/etc/ramdax-provision/config.yaml", "mount_prefixes: [/dax]\n");

        Assert.Empty(Problems());
    }

    [Theory]
    [InlineData("{}", "(carveouts)")]
    [InlineData("""{"carveouts": [], "namespaces": [], "kernel_arguments": {"wanted": [], "add": [], "remove": []}, "memory": {"system_ram": 1, "carved": 0, "left_for_os": 1}}""", "(warnings)")]
    public void An_empty_or_truncated_plan_names_the_key_it_lacks(string json, string key)
    {
        File.WriteAllText(PlanFile, json);

        var e = Assert.Throws<StateDamagedException>(() => new PlanRecord(_root.Root).Read());

        Assert.Contains(PlanFile, e.Message, StringComparison.Ordinal);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mode_that_is_a_number_is_no_word_of_the_agent_and_the_plan_reads_as_damaged()
    {
        // Enum words are read as the agent writes them (or as 0.1.0 wrote them), never as numbers.
        File.WriteAllText(PlanFile, File.ReadAllText(PlanFile).Replace("\"mode\": \"fsdax\"", "\"mode\": 7", StringComparison.Ordinal));

        var e = Assert.Throws<StateDamagedException>(() => new PlanRecord(_root.Root).Read());

        Assert.Contains($"{PlanFile} is damaged or not its own", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("namespaces[0].mount.path", "\"/\"", "namespaces[0].mount.path")]
    [InlineData("namespaces[1].filesystem.mkfs_options", """["-l", "logdev=/dev/sda"]""", "namespaces[1].filesystem.mkfs_options[1]")]
    public async Task Apply_offline_refuses_a_hand_edited_plan_before_it_changes_anything(string key, string json, string named)
    {
        Edit(key, JsonNode.Parse(json));
        var before = Snapshot();
        var runner = FakeToolRunner.WithRealChroot();

        var e = await Assert.ThrowsAsync<StateDamagedException>(() => OfflineApply(runner));

        Assert.Contains(PlanFile, e.Message, StringComparison.Ordinal);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputMissing, e.ExitCode);
        Assert.Empty(runner.Results);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Apply_offline_refuses_an_empty_plan_before_it_changes_anything()
    {
        File.WriteAllText(PlanFile, "{}");
        var before = Snapshot();
        var runner = FakeToolRunner.WithRealChroot();

        var e = await Assert.ThrowsAsync<StateDamagedException>(() => OfflineApply(runner));

        Assert.Contains($"{PlanFile} is damaged or not its own (a list or record the agent always writes is missing or null (carveouts))", e.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Results);
        Assert.Equal(before, Snapshot());
    }

    private async Task<ApplyReport> OfflineApply(FakeToolRunner runner)
    {
        using var logs = TestLogs.Over(new StringWriter());
        return await new Applier(runner, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)), logs) { Metadata = MetadataSources.None }
            .RunAsync(new ApplyRequest(_root.Root, [], [], Offline: true));
    }

    private IReadOnlyList<string> Problems()
    {
        var plan = new PlanRecord(_root.Root).Read()!;
        var local = ConfigurationLoader.Load(new ConfigurationRequest(_root.Root, [], [], []));
        return RecordedPlanRules.Problems(plan, MachineFacts.Read(_root.Root), local);
    }

    private JsonNode ReadPlan() => JsonNode.Parse(File.ReadAllText(PlanFile))!;

    private void Save(JsonNode plan) => File.WriteAllText(PlanFile, plan.ToJsonString());

    // "namespaces[1].filesystem.label" → plan["namespaces"][1]["filesystem"]["label"] = value.
    private void Edit(string key, JsonNode? value)
    {
        var plan = ReadPlan();
        var parts = key.Split('.');
        JsonNode node = plan;
        for (var i = 0; i < parts.Length; i++)
        {
            var (name, index) = parts[i].EndsWith(']')
                ? (parts[i][..parts[i].IndexOf('[', StringComparison.Ordinal)], int.Parse(parts[i][(parts[i].IndexOf('[', StringComparison.Ordinal) + 1)..^1], System.Globalization.CultureInfo.InvariantCulture))
                : (parts[i], -1);
            var last = i == parts.Length - 1;
            if (index < 0)
            {
                if (last)
                {
                    node[name] = value;
                }
                else
                {
                    node = node[name]!;
                }
            }
            else
            {
                node = node[name]![index]!;
                Assert.False(last, "edit a field of a list item, not the item");
            }
        }

        Save(plan);
    }

    private string Snapshot() => string.Join('\n',
        Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("/run/ramdax-provision/lock", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => f + ":" + File.ReadAllText(f)));
}
