using RamDax.Provision.Planning;

namespace RamDax.Provision.State;

/// <summary>
/// What a recorded plan or status report must hold to be one the agent wrote: the deserializer
/// fills what a file leaves out with nulls and empty defaults, which would fail much later and
/// far from the file.
/// </summary>
public static class StateChecks
{
    private const string Missing = "a list or record the agent always writes is missing or null";

    /// <summary>The problem with a recorded plan, or null.</summary>
    public static string? Plan(Plan plan)
    {
        var missing = plan.Carveouts.IsDefault ? "carveouts"
            : plan.Namespaces.IsDefault ? "namespaces"
            : plan.KernelArguments is null ? "kernel_arguments"
            : plan.KernelArguments.Wanted.IsDefault ? "kernel_arguments.wanted"
            : plan.KernelArguments.Add.IsDefault ? "kernel_arguments.add"
            : plan.KernelArguments.Remove.IsDefault ? "kernel_arguments.remove"
            : plan.Memory is null ? "memory"
            : plan.Warnings.IsDefault ? "warnings"
            : plan.Carveouts.Any(c => c is null) ? "carveouts[]"
            : plan.Namespaces.Any(n => n?.Name is null) ? "namespaces[].name"
            : null;
        if (missing is not null)
        {
            return $"{Missing} ({missing})";
        }

        var k = plan.KernelArguments!;

        if (k.Remove.FirstOrDefault(a => !OwnArguments.IsOwn(a)) is { } foreign)
        {
            return $"it would remove the kernel argument '{foreign}', which the agent never writes";
        }

        if (k.Add.FirstOrDefault(a => !OwnArguments.IsOwn(a)) is { } unknown)
        {
            return $"it would add the kernel argument '{unknown}', which the agent never writes";
        }

        return plan.Namespaces.FirstOrDefault(n => n.Carveout < 0 || n.Carveout >= plan.Carveouts.Length) is { } stray
            ? $"namespace '{stray.Name}' points at carve-out {stray.Carveout}, which the plan does not have"
            : null;
    }

}
