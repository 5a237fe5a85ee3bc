using System.Collections.Immutable;
using System.Globalization;
using RamDax.Provision.Configuration.Document;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Configuration;

// The mount: settings of fsdax namespaces, the rules between their paths, and the mount_prefixes
// those paths must lie under.
public sealed partial class SettingsMapper
{
    private MountSettings MapMount(string key, MountDocument doc, string name, Dictionary<string, string> paths)
    {
        var written = doc.Path ?? $"/mnt/ramdax/{name}";
        var path = MountPathRules.Check(written, _mountPrefixes, out var pathError);
        if (path is null)
        {
            Error($"{key}:path", pathError!);
            path = written;
        }
        else if (paths.TryGetValue(path, out var first))
        {
            Error($"{key}:path", $"'{written}' is also the mount path of {ConfigKey.Display(first)}; mount paths must be unique");
        }
        else
        {
            paths[path] = key;
        }

        var options = Items(doc.Options);
        for (var i = 0; i < options.Length; i++)
        {
            if (NamespaceRules.MountOptionProblem(options[i]) is { } problem)
            {
                Error($"{key}:options:{i.ToString(CultureInfo.InvariantCulture)}", problem);
            }
        }

        return new MountSettings(path, options,
            Account($"{key}:owner", doc.Owner, "root"), Account($"{key}:group", doc.Group, "root"), FileMode($"{key}:mode", doc.Mode, "0755"));
    }

    // A mount inside another would be hidden, or hide it, depending on which came up first.
    private void RefuseNestedMounts(Dictionary<string, string> paths)
    {
        foreach (var (inner, innerKey) in paths)
        {
            if (MountPathRules.TakenAbove(inner, paths) is { } outer)
            {
                Error($"{innerKey}:path", $"'{inner}' is inside the mount path of {ConfigKey.Display(paths[outer].Replace(":mount", "", StringComparison.Ordinal))} ({outer}); "
                    + "nested mounts are not supported, give each namespace a directory of its own");
            }
        }
    }

    private List<string> MapMountPrefixes(ImmutableArray<string> prefixes)
    {
        var result = new List<string>(MountPathRules.BuiltInPrefixes);
        for (var i = 0; i < prefixes.Length; i++)
        {
            if (MountPathRules.CheckPrefix(prefixes[i]) is { } problem)
            {
                Error($"mount_prefixes:{i.ToString(CultureInfo.InvariantCulture)}", problem);
            }
            else
            {
                result.Add(prefixes[i].Length > 1 ? prefixes[i].TrimEnd('/') : prefixes[i]);
            }
        }

        return result;
    }
}
