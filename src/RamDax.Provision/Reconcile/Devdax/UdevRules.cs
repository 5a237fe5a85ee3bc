using RamDax.Provision.Files;
using System.Collections.Immutable;
using System.Text;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Reconcile.Devdax;

/// <summary>
/// The generated udev rules that give each devdax character device its configured owner, group and
/// mode, durably: udev applies them on every event for the device, which a one-off chmod would not
/// survive. A rule matches the <c>dax</c> subsystem and the device's kernel name this boot.
/// </summary>
public static class UdevRules
{
    public const string Path = "/etc/udev/rules.d/70-ramdax-provision.rules";

    public static string Render(ImmutableArray<(string Namespace, string CharDevice, DeviceAccessSettings Access)> devices)
    {
        var rules = new StringBuilder();
        foreach (var (ns, chardev, access) in devices)
        {
            rules.Append("# namespace '").Append(ns).Append("'\n");
            rules.Append($"SUBSYSTEM==\"dax\", KERNEL==\"{chardev}\", OWNER=\"{access.Owner}\", GROUP=\"{access.Group}\", MODE=\"{access.Mode}\"\n");
        }

        return EmbeddedTemplates.Render(EmbeddedTemplates.UdevRules, new Dictionary<string, string> { ["RULES"] = rules.ToString().TrimEnd('\n') });
    }
}
