using System.Text.Json;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;

namespace RamDax.Provision.State;

/// <summary>
/// The last plan made with full information (metadata included), in
/// <c>/var/lib/ramdax-provision/plan.json</c>. The early-boot run (<c>apply --offline</c>) works from
/// it: at that point of the boot neither the network nor cloud-init's files exist, and a plan made
/// from the local files alone could differ from the one the instance asked for.
/// </summary>
public sealed class PlanRecord(MachineRoot root)
{
    public const string PlanPath = "/var/lib/ramdax-provision/plan.json";

    public string Path => root.Resolve(PlanPath);

    /// <summary>The recorded plan, or null when none was recorded (or <c>clean</c> forgot it).</summary>
    public Plan? Read() => StateFile.Read(root, PlanPath, StateJsonContext.Default.Plan, StateChecks.Plan);

    public void Write(Plan plan) => AtomicFile.Write(root.ResolveForWrite(PlanPath), JsonSerializer.Serialize(plan, StateJsonContext.Default.Plan) + "\n");

    public void Forget() => File.Delete(root.ResolveForWrite(PlanPath));
}
