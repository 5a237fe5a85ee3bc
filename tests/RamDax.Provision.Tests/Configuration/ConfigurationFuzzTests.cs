using System.Text;
using CsCheck;
using RamDax.Provision.Configuration;
using RamDax.Provision.Tests.Support;

namespace RamDax.Provision.Tests.Configuration;

/// <summary>
/// Whatever text reaches the configuration loader, the answer is settings or a configuration
/// error with a place, never another exception. Each property runs for a bounded time.
/// </summary>
public sealed class ConfigurationFuzzTests
{
    private const int Seconds = 2;

    private static readonly string[] Keys =
    [
        "carveout", "size", "min_os_memory", "alignment", "placement", "min_address", "order", "numa", "max_ranges", "adopt_foreign_pmem",
        "namespaces", "name", "mode", "filesystem", "type", "label", "mkfs_options", "mount", "path", "options", "owner",
        "group", "device", "wipe", "reconfigure", "profiles", "metadata", "source", "budget", "bootloader", "reboot",
        "mount_prefixes", "metadata_may_set", "instance", "Size", "ramdax", "<<", "namspaces",
    ];

    private static readonly string[] Scalars =
    [
        "64G", "25%", "rest", "0", "-1", "1e999", "99999999999999999999P", "fsdax", "devdax", "xfs", "ext4", "/mnt/x", "/", "/.",
        "/etc", "dax=never", "-l", "logdev=/dev/sda", "true", "null", "~", "\"\"", "'a,b'", "grub, bls", "30s", "999999m", "*a", "&a x",
        "!!binary AAAA", "\"\\u0000\"", "0x10", "0750", "[", "{", "}", "]", ":", "- ", "#", "|", ">", "%YAML 1.2", "---", "...",
    ];

    private static readonly string[] Shipped =
    [
        .. Directory.GetFiles(Path.Join(Repository.Top, "templates", "examples"), "*.yaml").Order(StringComparer.Ordinal),
        Path.Join(Repository.Top, "templates", "config", "config.yaml"),
    ];

    // A random YAML tree of known and unknown keys and hostile scalars, block or flow style.
    private static readonly Gen<string> Trees = Gen.Recursive<string>((depth, tree) =>
        depth >= 5
            ? Gen.Int[0, Scalars.Length - 1].Select(i => Scalars[i])
            : Gen.OneOf(
                Gen.Int[0, Scalars.Length - 1].Select(i => Scalars[i]),
                Gen.Select(Gen.Int[0, Keys.Length - 1], tree).Array[0, 4].Select(kv => "{" + string.Join(", ", kv.Select(p => $"{Keys[p.Item1]}: {p.Item2}")) + "}"),
                tree.Array[0, 4].Select(items => "[" + string.Join(", ", items) + "]")));

    private static readonly Gen<string> Documents = Gen.Select(Gen.Int[0, Keys.Length - 1], Trees).Array[1, 6]
        .Select(kv => string.Concat(kv.Select(p => $"{Keys[p.Item1]}: {p.Item2}\n")));

    // A shipped configuration with bytes replaced, inserted or removed at random places.
    private static readonly Gen<string> Mutants = Gen.Select(
            Gen.Int[0, Shipped.Length - 1],
            Gen.Select(Gen.Int[0, 2], Gen.Double[0, 1], Gen.Int[0, Scalars.Length - 1], Gen.Char).Array[1, 8])
        .Select((file, edits) =>
        {
            var text = new StringBuilder(File.ReadAllText(Shipped[file]));
            foreach (var (kind, where, scalar, c) in edits)
            {
                var at = (int)(where * text.Length);
                switch (kind)
                {
                    case 0:
                        text.Insert(at, Scalars[scalar]);
                        break;
                    case 1 when text.Length > 0:
                        text.Remove(Math.Min(at, text.Length - 1), 1);
                        break;
                    default:
                        text.Insert(at, c);
                        break;
                }
            }

            return text.ToString();
        });

    private static readonly Gen<string> RandomBytes = Gen.Byte.Array[0, 512].Select(b => Encoding.UTF8.GetString(b));

    private static void LoadsOrFailsCleanly(string text, bool cloudConfig)
    {
        var errors = new List<ConfigError>();
        var layer = cloudConfig ? YamlLayerReader.ReadCloudConfig("#cloud-config\n" + text, "fuzz.yaml", errors) : YamlLayerReader.Read(text, "fuzz.yaml", errors);
        ConfigSchema.CheckKeys(layer, errors);
        try
        {
            SettingsMapper.Map(LayeredConfiguration.Merge([layer]), errors);
        }
        catch (ConfigurationException e)
        {
            Assert.NotEmpty(e.Errors);
            Assert.All(e.Errors, error => Assert.False(string.IsNullOrWhiteSpace(error.Message)));
        }
    }

    [Fact]
    public void Random_YAML_trees_give_settings_or_configuration_errors() =>
        Gen.Select(Documents, Gen.Bool).Sample((text, cloud) => LoadsOrFailsCleanly(cloud ? "ramdax:\n" + Indent(text) : text, cloud), time: Seconds, iter: 1_000_000);

    [Fact]
    public void Mutated_shipped_configurations_give_settings_or_configuration_errors() =>
        Mutants.Sample(text => LoadsOrFailsCleanly(text, cloudConfig: false), time: Seconds, iter: 1_000_000);

    [Fact]
    public void Random_bytes_give_settings_or_configuration_errors() =>
        Gen.Select(RandomBytes, Gen.Bool).Sample((text, cloud) => LoadsOrFailsCleanly(text, cloud), time: Seconds, iter: 1_000_000);

    // Found by the mutation property: an anchor with no value ("options: [&noatime]") is an empty
    // list item, which the binder gives as null, and the item rules took it for a word.
    [Theory]
    [InlineData("mount: {options: [&noatime]}", "namespaces[0].mount.options[0]", "non-empty word")]
    [InlineData("mount: {options: [noatime, ~]}", "namespaces[0].mount.options[1]", "non-empty word")]
    [InlineData("mount: {options: [null]}", "namespaces[0].mount.options[0]", "non-empty word")]
    [InlineData("filesystem: {mkfs_options: [~]}", "namespaces[0].filesystem.mkfs_options[0]", "an empty item")]
    [InlineData("filesystem: {mkfs_options: [-b, ~]}", "namespaces[0].filesystem.mkfs_options[1]", "-b needs a value")]
    public void An_empty_list_item_is_an_error_at_its_place(string inner, string key, string reason)
    {
        var error = Assert.Single(ConfigurationTestMapping.Errors(ConfigurationTestMapping.Namespace(inner)));

        Assert.Equal(key, ConfigKey.Display(error.Key!));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(("test.yaml", 5), (error.Position!.Layer, error.Position.Line));
    }

    [Fact]
    public void Every_shipped_configuration_loads()
    {
        foreach (var file in Shipped)
        {
            var text = File.ReadAllText(file);
            var errors = new List<ConfigError>();
            var layer = text.StartsWith("#cloud-config", StringComparison.Ordinal)
                ? YamlLayerReader.ReadCloudConfig(text, file, errors)
                : YamlLayerReader.Read(text, file, errors);
            ConfigSchema.CheckKeys(layer, errors);
            SettingsMapper.Map(LayeredConfiguration.Merge([layer]), errors);
        }
    }

    private static string Indent(string text) => string.Concat(text.Split('\n').Select(l => "  " + l + "\n"));
}
