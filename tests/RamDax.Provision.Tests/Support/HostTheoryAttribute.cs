namespace RamDax.Provision.Tests.Support;

/// <summary>A theory that needs root and/or host programs; see <see cref="HostRequirements"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HostTheoryAttribute : TheoryAttribute
{
    public HostTheoryAttribute(bool root, params string[] programs) => Skip = HostRequirements.WhyNot(root, programs);
}
