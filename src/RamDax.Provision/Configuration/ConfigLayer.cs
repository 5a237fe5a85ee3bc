using System.Collections.Immutable;

namespace RamDax.Provision.Configuration;

/// <summary>
/// One source of configuration, flattened to keys. <see cref="ListRoots"/> names the lists this
/// layer writes whole: when a file gives <c>namespaces:</c>, that list replaces the one of every
/// earlier layer instead of being merged element by element, which is never what a person means.
/// Environment variables and <c>--set</c> patch single elements and declare no list roots.
/// </summary>
public sealed record ConfigLayer(
    string Name,
    ImmutableDictionary<string, ConfigValue> Values,
    ImmutableHashSet<string> ListRoots)
{
    public static ConfigLayer Empty(string name) =>
        new(name, ImmutableDictionary.Create<string, ConfigValue>(ConfigKey.Comparer), ImmutableHashSet.Create<string>(ConfigKey.Comparer));

    /// <summary>A layer from plain key/value pairs (defaults, environment, <c>--set</c>).</summary>
    public static ConfigLayer FromPairs(string name, IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        var values = ImmutableDictionary.CreateBuilder<string, ConfigValue>(ConfigKey.Comparer);
        var position = new SourcePosition(name);
        foreach (var (key, value) in pairs)
        {
            values[key] = new ConfigValue(value, position);
        }

        return new ConfigLayer(name, values.ToImmutable(), ImmutableHashSet.Create<string>(ConfigKey.Comparer));
    }

    /// <summary>This layer without the keys below <paramref name="prefix"/>.</summary>
    public ConfigLayer Without(string prefix)
    {
        bool Below(string key) =>
            ConfigKey.Comparer.Equals(key, prefix) || key.StartsWith(prefix + ConfigKey.Separator, StringComparison.OrdinalIgnoreCase);
        return this with
        {
            Values = Values.Where(kv => !Below(kv.Key)).ToImmutableDictionary(ConfigKey.Comparer),
            ListRoots = ListRoots.Where(r => !Below(r)).ToImmutableHashSet(ConfigKey.Comparer),
        };
    }
}
