using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Reconcile.Mounts;

/// <summary>
/// A namespace's mount as a transient systemd mount unit: <c>systemd-mount</c> asks systemd to
/// create and start it, so systemd owns the mount (<c>systemctl status</c>, stop, ordering) while
/// no unit file is ever written. Transient units live under <c>/run</c> and are gone after the next
/// boot, so a namespace that left the configuration leaves no unit behind, and a cold boot that
/// recreated the filesystem needs no rewrite and no <c>daemon-reload</c>. The unit is named after
/// its mount point, like every mount unit.
/// </summary>
/// <param name="Name">The unit's name: the escaped mount point and <c>.mount</c>.</param>
/// <param name="NamespaceName">The namespace, for the unit's description.</param>
/// <param name="What">The stable <c>/dev/ramdax/NAME</c> link when the package's udev rule made it, else the device node.</param>
/// <param name="Where">The mount point.</param>
/// <param name="Type">ext4 or xfs.</param>
/// <param name="Options">The mount options, <c>dax=always</c> first.</param>
public sealed record MountUnit(string Name, string NamespaceName, string What, string Where, string Type, string Options)
{
    private static readonly string[] AlwaysOptions = ["dax=always", "nofail"];

    public static MountUnit For(string namespaceName, string what, string type, MountSettings mount) =>
        mount.Path.Any(char.IsControl) || mount.Options.Any(o => o.Any(char.IsControl)) || namespaceName.Any(char.IsControl)
            ? throw new ArgumentException($"the mount path or options of namespace '{namespaceName}' contain control characters", nameof(mount))
            : new(SystemdEscape.MountUnit(mount.Path), namespaceName, what, mount.Path, type, JoinOptions(mount));

    /// <summary>
    /// The <c>systemd-mount</c> arguments: no file system check (the agent made or probed the
    /// filesystem this boot), no probing of the source (type and options are given), no password
    /// prompt on the console, and it waits until the mount is up or has failed.
    /// </summary>
    public IReadOnlyList<string> SystemdMountArguments() =>
    [
        "--no-ask-password", "--fsck=no", $"--type={Type}", $"--options={Options}",
        $"--description=RamDax namespace {NamespaceName} on {Where}",
        "--property=Before=ramdax-provision.target",
        What, Where,
    ];

    /// <summary>
    /// <c>dax=always</c> and <c>nofail</c> first, then the configured options. The configuration
    /// already refuses options that turn DAX off; a configured <c>dax</c> spelling is dropped so
    /// that exactly one DAX option reaches the kernel.
    /// </summary>
    public static string JoinOptions(MountSettings mount) =>
        string.Join(',', AlwaysOptions.Concat(mount.Options.Where(o => o != "nofail" && o != "dax" && !o.StartsWith("dax=", StringComparison.Ordinal))));
}
