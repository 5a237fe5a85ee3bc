using Microsoft.Extensions.Configuration;
using RamDax.Provision.Configuration.Document;

namespace RamDax.Provision.Configuration;

/// <summary>
/// Knows which keys exist. The document classes are the schema: a key is known when the
/// configuration binder (source-generated, so no reflection) can bind it alone onto
/// <see cref="ConfigDocument"/> with unknown keys treated as errors. Checking key by key reports
/// every unknown key, each with the place it was written, instead of only the first.
/// </summary>
public static class ConfigSchema
{
    /// <summary>The top-level keys a profile cannot set.</summary>
    public static readonly IReadOnlyList<string> ProfileForbidden = ["profiles", "metadata", "instance", "metrics"];

    /// <summary>Adds an error for every key of <paramref name="layer"/> the schema does not know.</summary>
    public static void CheckKeys(ConfigLayer layer, ICollection<ConfigError> errors)
    {
        foreach (var (key, value) in layer.Values.OrderBy(kv => kv.Value.Position.Line).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!IsKnown(key))
            {
                errors.Add(new ConfigError(value.Position, key, "unknown key; check its spelling against the configuration reference"));
                continue;
            }

            var parts = key.Split(ConfigKey.Separator);
            if (parts.Length > 2 && ConfigKey.Comparer.Equals(parts[0], "profiles") && ProfileForbidden.Contains(parts[2], ConfigKey.Comparer))
            {
                errors.Add(new ConfigError(value.Position, key, $"a profile cannot set '{parts[2]}'; profiles override carveout, namespaces, bootloader and reboot"));
            }
        }
    }

    // Keys that differ only in list indexes or profile names have one answer: asking the binder
    // once per shape keeps checking linear in the number of keys (16,288 namespaces are ~10^5 keys
    // but a few dozen shapes).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Known = new(ConfigKey.Comparer);

    /// <summary>Whether the binder accepts <paramref name="key"/> on its own.</summary>
    public static bool IsKnown(string key) => Known.GetOrAdd(Shape(key), BinderAccepts);

    // "namespaces:17:mount:options:3" and "profiles:Standard_E*:carveout:size" as
    // "namespaces:0:mount:options:0" and "profiles:p:carveout:size".
    private static string Shape(string key)
    {
        var parts = key.Split(ConfigKey.Separator);
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length > 0 && parts[i].All(char.IsAsciiDigit))
            {
                parts[i] = "0";
            }
            else if (i == 1 && ConfigKey.Comparer.Equals(parts[0], "profiles"))
            {
                parts[i] = "p";
            }
        }

        return string.Join(ConfigKey.Separator, parts);
    }

    private static bool BinderAccepts(string key)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>(key, "x")])
            .Build();
        try
        {
            configuration.Get<ConfigDocument>(o => o.ErrorOnUnknownConfiguration = true);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
