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
    private static readonly string[] ProfileOnlyForbidden = ["profiles", "metadata", "instance"];

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
            if (parts.Length > 2 && ConfigKey.Comparer.Equals(parts[0], "profiles") && ProfileOnlyForbidden.Contains(parts[2], ConfigKey.Comparer))
            {
                errors.Add(new ConfigError(value.Position, key, $"a profile cannot set '{parts[2]}'; profiles override carveout, namespaces, bootloader and reboot"));
            }
        }
    }

    /// <summary>Whether the binder accepts <paramref name="key"/> on its own.</summary>
    public static bool IsKnown(string key)
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
