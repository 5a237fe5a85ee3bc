using System.Collections.Immutable;
using System.Globalization;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>
/// What <c>blkid -p -o export DEVICE</c> found on a device: KEY=VALUE lines, none at all for a blank
/// device (blkid then exits 2, verified on a fresh pmem namespace).
/// </summary>
public sealed record BlkidSignature(ImmutableDictionary<string, string> Values)
{
    public static BlkidSignature Blank { get; } = new(ImmutableDictionary<string, string>.Empty);

    public bool IsBlank => Values.IsEmpty;

    public string? Type => Get("TYPE");

    public string? Label => Get("LABEL");

    public string? Uuid => Get("UUID");

    /// <summary>The filesystem's size in bytes, when blkid knows it (ext4 does: FSSIZE=526385152).</summary>
    public ulong? FilesystemSize => ulong.TryParse(Get("FSSIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;

    public static BlkidSignature Parse(string export)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var line in export.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
        }

        return new BlkidSignature(values.ToImmutable());
    }

    /// <summary>For people: <c>ext4 labelled 'store' (UUID ...)</c>, <c>a gpt partition table</c>, ...</summary>
    public string Describe()
    {
        if (IsBlank)
        {
            return "nothing (blank)";
        }

        if (Type is { } type)
        {
            return type + (Label is { } label ? $" labelled '{label}'" : " without a label") + (Uuid is { } uuid ? $" (UUID {uuid})" : "");
        }

        if (Get("PTTYPE") is { } table)
        {
            return $"a {table} partition table";
        }

        return "a signature (" + string.Join(", ", Values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")) + ")";
    }

    private string? Get(string key) => Values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
