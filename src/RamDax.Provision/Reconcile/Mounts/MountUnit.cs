using RamDax.Provision.Files;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Reconcile.Mounts;

/// <summary>A generated systemd mount unit: its name, where it lives and what it says.</summary>
public sealed record MountUnit(string Name, string Content)
{
    public const string Directory = "/etc/systemd/system";

    private static readonly string[] AlwaysOptions = ["dax=always", "nofail"];

    public string Path => $"{Directory}/{Name}";

    /// <param name="namespaceName">The namespace, for the unit's description.</param>
    /// <param name="what">The device to mount: <c>/dev/disk/by-uuid/UUID</c>, or the pmem node when udev has not made the link.</param>
    /// <param name="device">The pmem node, for the comment.</param>
    /// <param name="type">ext4 or xfs.</param>
    /// <param name="mount">Where and with which extra options.</param>
    public static MountUnit Render(string namespaceName, string what, string device, string type, MountSettings mount) =>
        mount.Path.Any(char.IsControl) || mount.Options.Any(o => o.Any(char.IsControl))
            ? throw new ArgumentException($"the mount path or options of namespace '{namespaceName}' contain control characters", nameof(mount))
            : new(SystemdEscape.MountUnit(mount.Path), EmbeddedTemplates.Render(EmbeddedTemplates.MountUnit, new Dictionary<string, string>
            {
                ["NAMESPACE"] = Specifiers(namespaceName),
                ["DEVICE"] = Specifiers(device),
                ["WHAT"] = Specifiers(what),
                ["WHERE"] = Specifiers(mount.Path),
                ["TYPE"] = type,
                ["OPTIONS"] = Specifiers(Options(mount)),
            }));

    /// <summary>
    /// <c>dax=always</c> and <c>nofail</c> first, then the configured options. The configuration
    /// already refuses options that turn DAX off; a configured <c>dax</c> spelling is dropped so
    /// that exactly one DAX option reaches the kernel.
    /// </summary>
    public static string Options(MountSettings mount) =>
        string.Join(',', AlwaysOptions.Concat(mount.Options.Where(o => o != "nofail" && o != "dax" && !o.StartsWith("dax=", StringComparison.Ordinal))));

    // Unit files expand %-specifiers in these settings; a literal % is written %%.
    private static string Specifiers(string value) => value.Replace("%", "%%", StringComparison.Ordinal);
}
