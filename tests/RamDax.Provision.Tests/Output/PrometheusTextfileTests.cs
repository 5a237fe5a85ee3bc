using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Status;
using RamDax.Provision.Machine;
using RamDax.Provision.Output;
using RamDax.Provision.State;
using RamDax.Provision.Tests.Support;
using CliWrap.Buffered;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Output;

/// <summary>The node-exporter textfile, from the end-to-end guest's converged warm reboot (the agent's own files).</summary>
public sealed class PrometheusTextfileTests : IDisposable
{
    private readonly TempRoot _temp = new();

    public PrometheusTextfileTests() => _temp.CopyFixture("roots/converged-6G");

    public void Dispose() => _temp.Dispose();

    private string Render()
    {
        var root = _temp.Root;
        return PrometheusTextfile.Render(StatusReader.Read(root, new ToolRunner()), new PlanRecord(root).Read());
    }

    private static Dictionary<string, double> Samples(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_converged_guest_has_every_item_in_place_its_bytes_and_its_last_run()
    {
        var samples = Samples(Render());

        Assert.Equal(1, samples["ramdax_provision_item_state{kind=\"namespace\",name=\"e2e-ext4\",state=\"ok\"}"]);
        Assert.Equal(0, samples["ramdax_provision_items_not_in_place"]);
        Assert.Equal(2304.0 * 1024 * 1024, samples["ramdax_provision_carved_bytes"]);
        Assert.True(samples["ramdax_provision_namespace_bytes"] > 0);
        Assert.True(samples["ramdax_provision_unassigned_bytes"] >= 0);
        Assert.Equal(0, samples["ramdax_provision_reboot_pending"]);
        Assert.Equal(1, samples["ramdax_provision_last_run_result{result=\"converged\"}"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 14, 21, 54, TimeSpan.Zero).ToUnixTimeSeconds(), Math.Floor(samples["ramdax_provision_last_run_timestamp_seconds"]));
        Assert.Equal(0, samples["ramdax_provision_recreated_after_cold_boot"]);
    }

    [Fact]
    public void Every_family_has_help_and_type_before_its_samples()
    {
        var lines = Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? family = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                family = line.Split(' ')[2];
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.Equal($"# TYPE {family} gauge", line);
                continue;
            }

            Assert.Matches(@"^[a-z_]+(\{[a-z_]+=""[^""]*""(,[a-z_]+=""[^""]*"")*\})? [0-9.eE+-]+$", line);
            Assert.StartsWith(family!, line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(MetricsSettings.DefaultTextfile)]
    [InlineData("/var/lib/node_exporter/textfile_collector/ramdax.prom")]
    public void It_is_written_only_where_node_exporter_collects_textfiles(string path)
    {
        var status = StatusReader.Read(_temp.Root, new ToolRunner());
        var directory = Path.GetDirectoryName(path)!;

        Assert.Null(PrometheusTextfile.WriteIfCollected(_temp.Root, path, status, null));
        Assert.False(File.Exists(_temp.Root.Resolve(path)));

        Directory.CreateDirectory(_temp.Root.Resolve(directory));
        Assert.Equal(path, PrometheusTextfile.WriteIfCollected(_temp.Root, path, status, null));
        Assert.Contains("ramdax_provision_carved_bytes 0\n", File.ReadAllText(_temp.Root.Resolve(path)), StringComparison.Ordinal);
        Assert.Equal([Path.GetFileName(path)], Directory.EnumerateFileSystemEntries(_temp.Root.Resolve(directory)).Select(Path.GetFileName));
        // Noted for the package's purge, which removes it.
        Assert.Equal(path + "\n", File.ReadAllText(_temp.Root.Resolve(PrometheusTextfile.RecordPath)));
    }

    // Prometheus's own Python client parses the text format the way the server does; it prints each
    // family with its type and every sample as name{labels} value.
    private const string ParserScript = """
        import sys
        from prometheus_client.parser import text_string_to_metric_families
        for family in text_string_to_metric_families(sys.stdin.read()):
            print("family", family.name, family.type, len(family.samples))
            for s in family.samples:
                labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
                print("sample", s.name + ("{" + labels + "}" if labels else ""), repr(float(s.value)))
        """;

    [HostFact(false, "/usr/bin/python3", "/usr/lib/python3/dist-packages/prometheus_client/parser.py")]
    public async Task Prometheus_s_text_format_parser_reads_every_family_and_sample()
    {
        var text = Render();

        var result = await CliWrap.Cli.Wrap("/usr/bin/python3").WithArguments(["-c", ParserScript])
            .WithStandardInputPipe(CliWrap.PipeSource.FromString(text))
            .ExecuteBufferedAsync();

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var families = lines.Where(l => l.StartsWith("family ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToDictionary(f => f[1], f => (Type: f[2], Samples: int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)));
        var parsed = lines.Where(l => l.StartsWith("sample ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToDictionary(s => s[1], s => double.Parse(s[2], System.Globalization.CultureInfo.InvariantCulture));
        var ours = Samples(text);

        Assert.Equal("gauge", families["ramdax_provision_item_state"].Type);
        Assert.Equal(ours.Count(kv => kv.Key.StartsWith("ramdax_provision_item_state{", StringComparison.Ordinal)), families["ramdax_provision_item_state"].Samples);
        Assert.Equal(text.Split('\n').Count(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)), families.Count);
        Assert.Equal(ours.Count, parsed.Count);
        Assert.Equal(1, parsed["ramdax_provision_item_state{kind=\"namespace\",name=\"e2e-ext4\",state=\"ok\"}"]);
        Assert.Equal(2304.0 * 1024 * 1024, parsed["ramdax_provision_carved_bytes"]);
    }
}
