using RamDax.Provision.Files;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Reconcile.Binding;

/// <summary>
/// The udev rule that binds ramdax to <c>e820_pmem</c> during coldplug, so that on every later boot
/// the kernel probes the namespaces while the boot goes on instead of after the agent starts. It
/// follows the plan: present while the plan uses ramdax, gone otherwise. The agent still checks
/// (and makes) the binding itself; the rule only makes it happen sooner.
/// </summary>
public static class BindingRule
{
    public const string Path = "/etc/udev/rules.d/65-ramdax-provision-bind.rules";

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes or removes the rule as <paramref name="plan"/> wants; says what changed, null when nothing did.</summary>
    public static string? Reconcile(Plan plan, IMachineWriter writer) =>
        plan is { IsEmpty: false, Driver: DriverKind.Ramdax }
            ? writer.WriteFileIfChanged(Path, EmbeddedTemplates.Read(EmbeddedTemplates.BindingRule), FileMode)
                ? $"wrote {Path}: from the next boot on, udev binds ramdax during coldplug"
                : null
            : writer.DeleteFile(Path) ? $"removed {Path}: the plan no longer uses ramdax" : null;
}
