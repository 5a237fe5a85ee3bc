using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Apply;

/// <summary>A plan and the configuration it was made from (for <c>plan --explain</c> and apply's settings).</summary>
public sealed record ComposedPlan(Plan Plan, LoadedConfiguration Configuration);
