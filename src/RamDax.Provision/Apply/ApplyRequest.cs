using System.Collections.Immutable;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Apply;

/// <summary>What <c>apply</c> was asked to do.</summary>
/// <param name="Root">The machine to change (<c>--root</c>).</param>
/// <param name="ConfigFiles"><c>--config</c> files, in order.</param>
/// <param name="Sets"><c>--set</c> pairs, in order.</param>
/// <param name="Reboot">Overrides the <c>reboot:</c> setting when given.</param>
/// <param name="DryRun">Print each action, change nothing.</param>
/// <param name="Offline">Fetch no instance metadata.</param>
/// <param name="SkipReconciled">Skip the every-boot steps when an earlier run of this boot already put the same plan in place.</param>
public sealed record ApplyRequest(
    MachineRoot Root,
    ImmutableArray<string> ConfigFiles,
    ImmutableArray<string> Sets,
    RebootMode? Reboot = null,
    bool DryRun = false,
    bool Offline = false,
    bool SkipReconciled = false)
{
    /// <summary>How the run treats what its steps decide: carried out, or only printed.</summary>
    public RunMode Mode => DryRun ? RunMode.DryRun : RunMode.CarryOut;
}
