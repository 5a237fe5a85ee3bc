namespace RamDax.Provision.Configuration;

/// <summary>
/// Which layer may set what. Whoever may tag an instance or edit its user-data is often a wider
/// group than whoever built the image, so the layers that come from the cloud (tags, attributes,
/// user-data, cloud-init's <c>ramdax:</c> key) may not set what destroys data or changes the whole
/// system unless the image's own files under <c>/etc/ramdax-provision</c> allow it by name with
/// <c>metadata_may_set:</c>. The local layers (image files, environment, <c>--config</c>,
/// <c>--set</c>) are written by root on the machine and may set everything.
/// </summary>
public static class TrustPolicy
{
    /// <summary>The guarded settings, by the names <c>metadata_may_set:</c> takes.</summary>
    public static readonly IReadOnlyList<string> GuardedNames = ["wipe", "reconfigure", "mkfs_options", "mount.path", "device", "bootloader", "reboot", "carveout.adopt_foreign_pmem", "metrics.textfile"];

    // Settings only the image may set, whatever metadata_may_set says.
    private static readonly string[] ImageOnly = ["mount_prefixes", "metadata_may_set"];

    /// <summary>Adds an error for every guarded key a remote layer sets without the image's leave.</summary>
    public static void Check(IEnumerable<ConfigLayer> imageLayers, IEnumerable<ConfigLayer> remoteLayers, ICollection<ConfigError> errors)
    {
        var allowed = AllowedFromMetadata(imageLayers);
        foreach (var layer in remoteLayers)
        {
            foreach (var (key, value) in layer.Values.OrderBy(kv => kv.Value.Position.Line).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var parts = key.Split(ConfigKey.Separator);
                var setting = parts.Length > 2 && ConfigKey.Comparer.Equals(parts[0], "profiles") ? parts[2..] : parts;
                if (ImageOnly.Contains(setting[0], ConfigKey.Comparer))
                {
                    errors.Add(new ConfigError(value.Position, key,
                        $"{layer.Name} tried to set {setting[0]}; only the image's own files in /etc/ramdax-provision may set it"));
                }
                else if (Guard(setting) is { } name && !allowed.Contains(name))
                {
                    errors.Add(new ConfigError(value.Position, key,
                        $"{layer.Name} tried to set {ConfigKey.Display(key)} to '{value.Value}'; {name} is refused from instance metadata and user-data "
                        + $"unless the image allows it: add metadata_may_set: [{name}] to /etc/ramdax-provision/config.yaml"));
                }
            }
        }
    }

    /// <summary>The guarded names the image's own files let instance metadata and user-data set (<c>metadata_may_set:</c>).</summary>
    public static IReadOnlySet<string> AllowedFromMetadata(IEnumerable<ConfigLayer> imageLayers) =>
        LayeredConfiguration.Merge(imageLayers).Effective
            .Where(kv => ConfigKey.Comparer.Equals(kv.Key.Split(ConfigKey.Separator)[0], "metadata_may_set") && kv.Value.Value is not null)
            .Select(kv => kv.Value.Value!.Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks the names given to <c>metadata_may_set:</c>.</summary>
    public static void CheckNames(string key, IReadOnlyList<string> names, Action<string, string> error)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (!GuardedNames.Contains(names[i]?.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                error($"{key}:{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}", $"'{names[i]}' is not one of: {string.Join(", ", GuardedNames)}");
            }
        }
    }

    // The guarded name a key falls under, or null.
    private static string? Guard(string[] setting)
    {
        bool Is(int index, string word) => setting.Length > index && ConfigKey.Comparer.Equals(setting[index], word);
        if (Is(0, "bootloader") || Is(0, "reboot"))
        {
            return setting[0].ToLowerInvariant();
        }

        if (Is(0, "carveout") && Is(1, "adopt_foreign_pmem"))
        {
            return "carveout.adopt_foreign_pmem";
        }

        if (Is(0, "metrics") && Is(1, "textfile"))
        {
            return "metrics.textfile";
        }

        if (!Is(0, "namespaces"))
        {
            return null;
        }

        return Is(2, "wipe") ? "wipe"
            : Is(2, "reconfigure") ? "reconfigure"
            : Is(2, "filesystem") && Is(3, "mkfs_options") ? "mkfs_options"
            : Is(2, "mount") && Is(3, "path") ? "mount.path"
            : Is(2, "device") ? "device"
            : null;
    }
}
