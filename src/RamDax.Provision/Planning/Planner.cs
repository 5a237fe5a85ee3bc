using System.Collections.Immutable;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Planning;

/// <summary>
/// The pure planner: machine facts and settings in, a <see cref="Plan"/> out. It never touches the
/// machine, so it is tested exhaustively with captured machines and random ones.
/// </summary>
public static class Planner
{
    /// <param name="machine">What the machine is.</param>
    /// <param name="settings">What was asked for.</param>
    /// <param name="ownedBefore">Kernel arguments this agent wrote before (from its state), the only ones it may remove.</param>
    public static Plan Make(MachineFacts machine, ProvisionSettings settings, IEnumerable<string>? ownedBefore = null)
    {
        var warnings = new List<string>();
        var driver = machine.Kernel.HasRamdax ? DriverKind.Ramdax : DriverKind.NdE820;
        var carveout = settings.Carveout;
        var instance = settings.Instance is { Id: null, Type: null, Cloud: null } ? null : settings.Instance;

        ImmutableArray<PlannedCarveout> carveouts;
        ImmutableArray<PlannedNamespace> namespaces;
        if (carveout.Size is null)
        {
            warnings.Add("no carve-out is configured (carveout.size); nothing will be changed");
            carveouts = [];
            namespaces = [];
        }
        else
        {
            var total = CarveoutPlanner.Resolve(machine.MemoryMap, carveout);
            if (settings.Namespaces.IsEmpty)
            {
                warnings.Add("no namespaces are configured; the carve-out will be bound but stay empty");
            }

            if (driver == DriverKind.Ramdax || settings.Namespaces.IsEmpty)
            {
                carveouts = CarveoutPlanner.PlaceTotal(machine.MemoryMap, machine.Numa, carveout, total, warnings);
                namespaces = NamespaceLayoutPlanner.Layout(carveouts, settings.Namespaces, warnings);
            }
            else
            {
                warnings.Add($"{machine.Kernel.Evidence}: falling back to nd_e820, one memmap range per namespace, each converted with ndctl");
                var pieces = NamespaceLayoutPlanner.FallbackPieces(total, settings.Namespaces, carveout.Alignment, warnings);
                carveouts = CarveoutPlanner.PlacePieces(machine.MemoryMap, machine.Numa, carveout, pieces);
                namespaces = NamespaceLayoutPlanner.FallbackLayout(carveouts, settings.Namespaces);
            }
        }

        if (carveouts.Length > KernelArgumentPlanner.KaslrSafeRanges)
        {
            warnings.Add($"{carveouts.Length} ranges are more than the {KernelArgumentPlanner.KaslrSafeRanges} KASLR avoids: nokaslr is added");
        }

        var wanted = KernelArgumentPlanner.Wanted(carveouts, driver);
        var arguments = KernelArgumentPlanner.Compare(wanted, machine.CommandLine, ownedBefore ?? []);
        var carved = carveouts.Aggregate(0UL, (sum, c) => sum + c.Size);
        var systemRam = machine.MemoryMap.TotalSystemRam;
        return new Plan(
            driver,
            carveouts,
            arguments,
            namespaces,
            instance,
            new MemorySummary(systemRam, carved, systemRam - carved),
            [.. warnings]);
    }
}
