using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Apply;

/// <summary>
/// The plan as <c>apply</c> makes it and <c>plan</c> prints it, made in this one place: the
/// configuration of the local layers and what metadata brought, planned against the machine's
/// facts and the arguments the agent owns, carrying the metadata step's warnings.
/// </summary>
public static class PlanComposer
{
    /// <param name="configuration">The local layers (read once) with the metadata layers.</param>
    /// <param name="metadataWarnings">What the metadata step warned of (a source that did not answer).</param>
    /// <param name="facts">The machine as the next boot sees it.</param>
    /// <param name="owned">The kernel arguments the agent wrote and may remove.</param>
    public static ComposedPlan Make(ConfigurationRequest configuration, IReadOnlyList<string> metadataWarnings, MachineFacts facts, ImmutableArray<string> owned)
    {
        var loaded = ConfigurationLoader.Load(configuration);
        var plan = Planner.Make(facts, loaded.Settings, owned);
        return new ComposedPlan(plan with { Warnings = plan.Warnings.AddRange(metadataWarnings) }, loaded);
    }
}
