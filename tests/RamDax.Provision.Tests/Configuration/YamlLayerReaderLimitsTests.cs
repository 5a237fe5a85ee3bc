using System.Text;
using RamDax.Provision.Configuration;
using RamDax.Provision.Tests.Support;
using static RamDax.Provision.Tests.Configuration.ConfigurationTestMapping;

namespace RamDax.Provision.Tests.Configuration;

public sealed class YamlLayerReaderLimitsTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static ConfigError OneReadError(string yaml, bool cloudConfig = false)
    {
        var errors = new List<ConfigError>();
        if (cloudConfig)
        {
            YamlLayerReader.ReadCloudConfig(yaml, "test.yaml", errors);
        }
        else
        {
            YamlLayerReader.Read(yaml, "test.yaml", errors);
        }

        return Assert.Single(errors);
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(33)]
    public void A_deeply_nested_flow_sequence_is_an_error_not_a_stack_overflow(int depth)
    {
        var error = OneReadError("carveout: " + new string('[', depth) + new string(']', depth));

        Assert.Contains("nested deeper than 32 levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Position!.Line);
    }

    [Fact]
    public void Deep_flow_maps_and_block_nesting_are_errors_too()
    {
        Assert.Contains("nested deeper", OneReadError(string.Concat(Enumerable.Repeat("{a: ", 20_000)) + "1" + new string('}', 20_000)).Message, StringComparison.Ordinal);
        var block = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            block.Append(' ', i).Append("k:\n");
        }

        Assert.Contains("nested deeper", OneReadError(block.ToString()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_billion_laughs_document_is_refused_quickly()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = OneReadError(yaml.ToString());

        Assert.Contains("expands to more than", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_long_document_without_aliases_is_read_however_many_values_it_writes_out()
    {
        // 32 carve-outs of 509 namespaces, as bench/scale-input.sh writes them: some 50,000 values.
        var yaml = new StringBuilder("carveout: {size: 256G, max_ranges: 32}\nnamespaces:\n");
        for (var i = 0; i < 32 * 509; i++)
        {
            yaml.Append(i % 2 == 0 ? $"  - {{name: ns{i}, size: 16M}}\n" : $"  - {{name: ns{i}, size: rest}}\n");
        }

        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.Read(yaml.ToString(), "scale.yaml", errors);

        Assert.Empty(errors);
        Assert.NotNull(layer);
    }

    [Fact]
    public void A_few_aliases_that_expand_to_little_are_still_read()
    {
        var errors = new List<ConfigError>();
        var layer = YamlLayerReader.Read("carveout:\n  size: &s 4G\n  min_os_memory: *s\n", "test.yaml", errors);

        Assert.Empty(errors);
        Assert.Equal("4G", layer.Values["carveout:min_os_memory"].Value);
    }

    [Fact]
    public void A_document_over_one_MiB_is_refused()
    {
        Assert.Contains("larger than 1 MiB", OneReadError("# " + new string('x', 1 << 20) + "\n").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("carveout: {size: 4G")]
    [InlineData("namespaces: [{name: a, size: 1G}")]
    [InlineData("carveout:\n\tsize: 4G")]
    [InlineData("carveout: {size: 4G}\ncarveout: {size: 8G}")]
    [InlineData("a: *nothing")]
    [InlineData("- a\nb: c")]
    public void Broken_YAML_is_an_error_with_a_position(string yaml)
    {
        var error = OneReadError(yaml);

        Assert.StartsWith("test.yaml:", error.ToString(), StringComparison.Ordinal);
        Assert.True(error.Position!.Line > 0);
    }

    [Theory]
    [InlineData("carveout: {size: \"4G\u0000\"}", 1, 21)]
    [InlineData("carveout:\n  size: 4G\u001b[31m", 2, 11)]
    [InlineData("reboot: never\u007f", 1, 14)]
    public void Control_characters_are_refused_at_their_line_and_column(string yaml, int line, int column)
    {
        var error = OneReadError(yaml);

        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourcePosition("test.yaml", line, column), error.Position);
    }

    [Fact]
    public void Invalid_UTF8_in_a_file_is_an_error_naming_the_file()
    {
        var path = Path.Join(_root.Path, "bad.yaml");
        File.WriteAllBytes(path, [.. "carveout: {size: "u8, 0xC3, 0x28, .. "}\n"u8]);
        var errors = new List<ConfigError>();

        ConfigurationLoader.ReadFile(path, path, errors);

        Assert.Contains("not UTF-8", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("carveout: {size: 4G, Size: 8G}", "carveout:Size")]
    [InlineData("namespaces:\n  - name: a\n    mode: fsdax\n    Mode: devdax", "namespaces:0:Mode")]
    public void Keys_that_differ_only_in_case_are_an_error(string yaml, string key)
    {
        var error = OneReadError(yaml);

        Assert.Equal(key, error.Key);
        Assert.Contains("keys do not depend on case", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("namspaces: []", "namspaces")]
    [InlineData("carveotu: {}", "carveotu")]
    [InlineData("carveout: {placment: {}}", "carveout:placment")]
    public void An_unknown_key_is_an_error_whatever_its_value(string yaml, string key)
    {
        Assert.Equal(key, OneReadError(yaml).Key);
    }

    [Theory]
    [InlineData("namespaces: []")]
    [InlineData("carveout: {}")]
    [InlineData("carveout: {placement: {}}")]
    [InlineData("profiles: {m7i: {}}")]
    [InlineData("mount_prefixes: []")]
    public void An_empty_known_section_is_fine(string yaml)
    {
        var errors = new List<ConfigError>();
        YamlLayerReader.Read(yaml, "test.yaml", errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void A_cloud_config_gets_the_same_shape_check_under_ramdax()
    {
        var error = OneReadError("#cloud-config\npackages: [htop]\nramdax:\n  carveout: [64G]\n", cloudConfig: true);

        Assert.Equal(4, error.Position!.Line);
    }

    [Theory]
    [InlineData("bootloader: grub, bls", "bootloader")]
    [InlineData("bootloader: '1'", "bootloader")]
    [InlineData("reboot: 'never,kexec'", "reboot")]
    [InlineData("metadata: {source: 'aws, gce'}", "metadata.source")]
    [InlineData("metadata: {budget: 69d}", "metadata.budget")]
    [InlineData("metadata: {budget: 11m}", "metadata.budget")]
    [InlineData("metadata: {budget: 9999999999999999999999999999999999999999999999999999999999999999999999999999999s}", "metadata.budget")]
    [InlineData("carveout: {size: 99999999999999999999999999G}", "carveout.size")]
    [InlineData("carveout: {max_ranges: 99999999999999999999}", "carveout.max_ranges")]
    public void Enums_are_one_word_and_numbers_cannot_overflow(string yaml, string key)
    {
        var error = Assert.Single(Errors(yaml));

        Assert.Equal(key, ConfigKey.Display(error.Key!));
    }

    [Fact]
    public void A_config_yaml_that_is_a_directory_or_a_FIFO_is_an_error_not_ignored_nor_a_hang()
    {
        Directory.CreateDirectory(_root.Root.Resolve("/etc/ramdax-provision/config.yaml"));
        Directory.CreateDirectory(_root.Root.Resolve("/etc/ramdax-provision/config.d"));
        MakeFifo(_root.Root.Resolve("/etc/ramdax-provision/config.d/10-fifo.yaml"));

        var errors = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest(_root.Root, [], [], []))).Errors;

        Assert.Contains(errors, e => e.ToString().Contains("config.yaml: cannot read the file: a directory", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.ToString().Contains("10-fifo.yaml: cannot read the file: a FIFO", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_value_in_a_profile_no_instance_selects_is_reported()
    {
        _root.Write("/etc/ramdax-provision/config.yaml", "profiles:\n  'Standard_E*':\n    carveout: {size: lots}\n  m7i: {reboot: sometimes}\n");

        var errors = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest(_root.Root, [], [], []))).Errors;

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Key == "carveout:size" && e.Position!.Line == 3 && e.Position.Layer.StartsWith("profile 'Standard_E*'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "reboot" && e.Position!.Line == 4);
    }

    internal static void MakeFifo(string path)
    {
        using var process = System.Diagnostics.Process.Start("mkfifo", [path]);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
