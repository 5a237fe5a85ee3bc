using Microsoft.Extensions.Configuration;

namespace RamDax.Provision.Configuration;

/// <summary>
/// In-memory configuration for the binder that finds a section's children through an index.
/// The in-memory provider of Microsoft.Extensions.Configuration scans every key for every
/// section the binder opens, which is quadratic in the number of namespaces (16,288 of them took
/// minutes to bind); here each lookup costs only the children it returns.
/// </summary>
internal sealed class IndexedConfiguration : ConfigurationProvider, IConfigurationSource
{
    private readonly Dictionary<string, List<string>> _children = new(ConfigKey.Comparer);

    public IndexedConfiguration(IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (key, value) in values)
        {
            Data[key] = value;
            // Every ancestor section lists the next segment: "a:b:c" gives "" -> a, "a" -> b, "a:b" -> c.
            var start = 0;
            while (true)
            {
                var end = key.IndexOf(ConfigKey.Separator, start);
                var parent = start == 0 ? "" : key[..(start - 1)];
                var segment = end < 0 ? key[start..] : key[start..end];
                (_children.TryGetValue(parent, out var list) ? list : _children[parent] = []).Add(segment);
                if (end < 0)
                {
                    break;
                }

                start = end + 1;
            }
        }
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var keys = new List<string>(earlierKeys);
        if (_children.TryGetValue(parentPath ?? "", out var children))
        {
            keys.AddRange(children);
        }

        keys.Sort(ConfigurationKeyComparer.Instance.Compare);
        return keys;
    }
}
