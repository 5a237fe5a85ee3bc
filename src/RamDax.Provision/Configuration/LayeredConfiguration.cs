using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using RamDax.Provision.Configuration.Document;

namespace RamDax.Provision.Configuration;

/// <summary>
/// The layers of configuration merged in order, later winning, with the origin of every effective
/// value kept for error messages and <c>plan --explain</c>.
/// </summary>
public sealed class LayeredConfiguration
{
    private LayeredConfiguration(ImmutableArray<ConfigLayer> layers, ImmutableDictionary<string, ConfigValue> effective)
    {
        Layers = layers;
        Effective = effective;
    }

    /// <summary>The layers, first (weakest) to last (strongest).</summary>
    public ImmutableArray<ConfigLayer> Layers { get; }

    /// <summary>Every effective key with its value and where that value was written.</summary>
    public ImmutableDictionary<string, ConfigValue> Effective { get; }

    /// <summary>Merges <paramref name="layers"/>; a list a layer writes whole replaces the earlier one.</summary>
    public static LayeredConfiguration Merge(IEnumerable<ConfigLayer> layers)
    {
        var ordered = layers.ToImmutableArray();
        var effective = ImmutableDictionary.CreateBuilder<string, ConfigValue>(ConfigKey.Comparer);
        foreach (var layer in ordered)
        {
            // A list this layer writes whole replaces every earlier key at or below it. Each key's
            // own prefixes are looked up, so this is linear in the number of keys, not keys × lists.
            if (layer.ListRoots.Count > 0)
            {
                foreach (var key in effective.Keys.Where(k => UnderAny(k, layer.ListRoots)).ToList())
                {
                    effective.Remove(key);
                }
            }

            foreach (var (key, value) in layer.Values)
            {
                effective[key] = value;
            }
        }

        return new LayeredConfiguration(ordered, effective.ToImmutable());
    }

    private static bool UnderAny(string key, ImmutableHashSet<string> roots)
    {
        if (roots.Contains(key))
        {
            return true;
        }

        for (var at = key.IndexOf(ConfigKey.Separator); at >= 0; at = key.IndexOf(ConfigKey.Separator, at + 1))
        {
            if (roots.Contains(key[..at]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The effective value of <paramref name="key"/>, or null.</summary>
    public string? this[string key] => Effective.TryGetValue(key, out var value) ? value.Value : null;

    /// <summary>Where the effective value of <paramref name="key"/> was written, or null when it is not set.</summary>
    public SourcePosition? Where(string key) => Effective.TryGetValue(key, out var value) ? value.Position : null;

    /// <summary>The effective keys below <paramref name="prefix"/> as a layer named <paramref name="name"/>.</summary>
    public ConfigLayer Subtree(string prefix, string name)
    {
        var start = prefix + ConfigKey.Separator;
        var values = Effective
            .Where(kv => kv.Key.StartsWith(start, StringComparison.OrdinalIgnoreCase))
            .ToImmutableDictionary(
                kv => kv.Key[start.Length..],
                kv => kv.Value with { Position = kv.Value.Position with { Layer = $"{name} in {kv.Value.Position.Layer}" } },
                ConfigKey.Comparer);

        // A subtree taken from merged values is written whole by whoever wrote it: its lists replace.
        var lists = values.Keys
            .SelectMany(ListPrefixes)
            .ToImmutableHashSet(ConfigKey.Comparer);
        return new ConfigLayer(name, values, lists);
    }

    /// <summary>Binds the effective values onto the document classes (source-generated binder).</summary>
    public ConfigDocument Bind()
    {
        var configuration = new ConfigurationBuilder()
            .Add(new IndexedConfiguration(Effective.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.Value))))
            .Build();
        return configuration.Get<ConfigDocument>() ?? new ConfigDocument();
    }

    // "namespaces:0:mount:options:1" holds the lists "namespaces" and "namespaces:0:mount:options".
    private static IEnumerable<string> ListPrefixes(string key)
    {
        var parts = key.Split(ConfigKey.Separator);
        for (var i = 1; i < parts.Length; i++)
        {
            if (parts[i].Length > 0 && parts[i].All(char.IsAsciiDigit))
            {
                yield return string.Join(ConfigKey.Separator, parts[..i]);
            }
        }
    }
}
