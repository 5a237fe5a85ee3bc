using RamDax.Provision.Machine;

namespace RamDax.Provision.Boot;

/// <summary>
/// Boot Loader Specification entries (<c>loader/entries/*.conf</c>): the <c>options</c> lines are
/// what the kernel gets. Fedora/RHEL 8 entries may say <c>$kernelopts</c>, which GRUB expands from
/// grubenv; that is expanded here too.
/// </summary>
public static class BlsEntries
{
    public static readonly string[] Directories = ["/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries"];
    public static readonly string[] GrubEnvironments = ["/boot/grub2/grubenv", "/boot/grub/grubenv"];

    /// <summary>Every entry file (machine paths), sorted.</summary>
    public static IReadOnlyList<string> Find(MachineRoot root) =>
        [.. Directories.Where(root.DirectoryExists)
            .SelectMany(dir => root.ListNames(dir).Where(n => n.EndsWith(".conf", StringComparison.Ordinal)).Select(n => $"{dir}/{n}"))];

    /// <summary>The kernel arguments of one entry, with GRUB environment variables expanded where known.</summary>
    public static IReadOnlyList<string> Options(string entry, IReadOnlyDictionary<string, string> grubEnvironment)
    {
        var arguments = new List<string>();
        foreach (var line in entry.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("options", StringComparison.Ordinal) || trimmed.Length == 7 || !char.IsWhiteSpace(trimmed[7]))
            {
                continue;
            }

            foreach (var token in KernelCommandLine.Parse(trimmed[8..]).Arguments)
            {
                if (token.StartsWith('$') && grubEnvironment.TryGetValue(token[1..], out var value))
                {
                    arguments.AddRange(KernelCommandLine.Parse(value).Arguments);
                }
                else
                {
                    arguments.Add(token);
                }
            }
        }

        return arguments;
    }

    /// <summary>The <c>key=value</c> lines of grubenv.</summary>
    public static IReadOnlyDictionary<string, string> ReadGrubEnvironment(MachineRoot root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = GrubEnvironments.Select(root.TryReadText).FirstOrDefault(t => t is not null);
        foreach (var line in (text ?? "").Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && !line.StartsWith('#'))
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
        }

        return values;
    }

    /// <summary>Whether every entry carries the target (false when there are no entries).</summary>
    public static bool AllCarry(MachineRoot root, IReadOnlyList<string> entries, KernelArgumentTarget target)
    {
        var environment = ReadGrubEnvironment(root);
        return entries.Count > 0 && entries.All(e => KernelArgumentEdit.Carries(Options(root.ReadText(e), environment), target));
    }
}
