namespace RamDax.Provision.Tests.Support;

/// <summary>A fact that needs root and/or host programs; see <see cref="HostRequirements"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HostFactAttribute : FactAttribute
{
    public HostFactAttribute(bool root, params string[] programs) => Skip = HostRequirements.WhyNot(root, programs);
}
