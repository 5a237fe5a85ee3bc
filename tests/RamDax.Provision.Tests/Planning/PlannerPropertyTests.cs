using CsCheck;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using static RamDax.Provision.Tests.Planning.PlanningInputs;

namespace RamDax.Provision.Tests.Planning;

/// <summary>
/// The planner's rules over random firmware maps and requests: every plan obeys every rule, or
/// the planner refuses with a reason. Nothing else (no other exception) may come out.
/// </summary>
public sealed class PlannerPropertyTests
{
    private const ulong M = 1UL << 20;
    private const ulong G = 1UL << 30;

    private static readonly string[] Types = ["System RAM", "System RAM", "System RAM", "Reserved", "ACPI Tables", "ACPI Non-volatile Storage"];

    // Entries laid end to end with random gaps, sizes from 4 KiB to 512 GiB, at most 64 of them.
    private static Gen<ulong> Pick(params ulong[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<FirmwareMemoryMap> Maps =
        Gen.Select(Gen.ULong[0, 64 * G], Gen.ULong[1, 128 * G], Gen.Int[0, Types.Length - 1]).Array[1, 64]
            .Select(parts =>
            {
                var entries = new List<FirmwareMemoryEntry>();
                var at = 0UL;
                foreach (var (gap, size, type) in parts)
                {
                    var start = at + (gap / 4096 * 4096);
                    var end = start + Math.Max(4096, size / 4096 * 4096);
                    entries.Add(new FirmwareMemoryEntry(new MemoryRange(start, end), Types[type]));
                    at = end;
                }

                return new FirmwareMemoryMap([.. entries]);
            });

    private static readonly Gen<SizeRequest> Sizes = Gen.OneOf<SizeRequest>(
        Gen.ULong[1, 256].Select(n => (SizeRequest)new SizeRequest.Absolute(n * G)),
        Gen.Int[1, 100].Select(p => (SizeRequest)new SizeRequest.Share(p)));

    private static readonly Gen<CarveoutSettings> Carveouts =
        Gen.Select(Sizes, Gen.ULong[0, 64], Pick(16 * M, 256 * M, G, 2 * G), Pick(0UL, 4 * G, 64 * G), Gen.Int[1, 8], Gen.Bool)
            .Select((size, minOs, alignment, minAddress, maxRanges, lowestFirst) => new CarveoutSettings(
                size is SizeRequest.Absolute a ? new SizeRequest.Absolute(a.Bytes / alignment * alignment == 0 ? alignment : a.Bytes / alignment * alignment) : size,
                minOs * G, alignment, minAddress, lowestFirst ? PlacementOrder.LowestFirst : PlacementOrder.HighestFirst, false, maxRanges));

    private static readonly Gen<NamespaceSettings[]> Layouts =
        Gen.Select(Gen.OneOf<SizeRequest>(
                Gen.ULong[1, 64 * 1024].Select(n => (SizeRequest)new SizeRequest.Absolute(n * M)),
                Gen.Int[1, 50].Select(p => (SizeRequest)new SizeRequest.Share(p)),
                Gen.Const((SizeRequest)new SizeRequest.Rest())),
            Gen.Bool, Pick(4096UL, 2 * M, G))
            .Array[0, 12]
            .Select(specs => specs.Select((s, i) => Namespace(
                $"ns{i}",
                s.Item3 == G && s.Item1 is SizeRequest.Absolute a && a.Bytes < 2 * G ? new SizeRequest.Absolute(2 * G) : s.Item1,
                s.Item2 ? NamespaceMode.Devdax : NamespaceMode.Fsdax,
                s.Item3)).ToArray());

    [Fact]
    public void Every_plan_obeys_every_rule_or_is_refused_with_a_reason() =>
        Gen.Select(Maps, Carveouts, Layouts, Gen.Bool).Sample((map, carveout, namespaces, ramdax) =>
        {
            // A 1G namespace alignment needs a carve-out alignment of at least 1G (the settings check it).
            var valid = namespaces.Where(n => n.Alignment <= carveout.Alignment).ToArray();
            var settings = With(carveout, valid);
            Plan plan;
            try
            {
                plan = Planner.Make(Facts(map, ramdax: ramdax), settings);
            }
            catch (PlanRefusedException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Reason));
                return;
            }

            CheckCarveouts(map, carveout, plan, ramdax && valid.Length > 0 ? null : valid.Length);
            CheckNamespaces(plan, valid);
        }, iter: 4000);

    private static void CheckCarveouts(FirmwareMemoryMap map, CarveoutSettings settings, Plan plan, int? fallbackCount)
    {
        Assert.NotEmpty(plan.Carveouts);
        Assert.True(plan.Carveouts.Length <= settings.MaxRanges);
        var ranges = plan.Carveouts.Select(c => new MemoryRange(c.Start, c.End)).OrderBy(r => r.Start).ToList();
        foreach (var range in ranges)
        {
            Assert.True(range.Size > 0);
            Assert.Equal(0UL, range.Start % settings.Alignment);
            Assert.Equal(0UL, range.Size % settings.Alignment);
            Assert.True(range.Start >= settings.MinAddress);
            Assert.Contains(map.SystemRam, ram => ram.Contains(range));
            Assert.DoesNotContain(map.Entries, e => !e.IsSystemRam && e.Range.Overlaps(range));
        }

        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.True(ranges[i - 1].End < ranges[i].Start, "carve-outs must neither overlap nor touch");
        }

        var carved = ranges.Aggregate(0UL, (s, r) => s + r.Size);
        Assert.True(map.TotalSystemRam - carved >= settings.MinOsMemory);
        Assert.Equal(carved, plan.Memory.Carved);
        if (fallbackCount is null or 0)
        {
            var wanted = settings.Size is SizeRequest.Absolute a ? a.Bytes : ((SizeRequest.Share)settings.Size!).Of(map.TotalSystemRam) / settings.Alignment * settings.Alignment;
            Assert.Equal(wanted, carved);
        }
        else
        {
            Assert.Equal(fallbackCount, plan.Carveouts.Length);
        }

        Assert.Equal(plan.Carveouts.Length > 4, plan.KernelArguments.Wanted.Contains("nokaslr"));
    }

    private static void CheckNamespaces(Plan plan, NamespaceSettings[] wanted)
    {
        Assert.Equal(wanted.Select(n => n.Name).Order(), plan.Namespaces.Select(n => n.Name).Order());
        foreach (var group in plan.Namespaces.GroupBy(n => n.Carveout))
        {
            var carveout = plan.Carveouts[group.Key];
            var end = 0UL;
            foreach (var ns in group)
            {
                Assert.Equal(end, ns.Offset);
                Assert.True(ns.UsableSize > 0 && ns.UsableSize < ns.Size);
                if (plan.Driver == DriverKind.Ramdax)
                {
                    Assert.Equal(0UL, ns.Size % NamespaceCapacity.SizeStep(ns.Alignment));
                    Assert.Equal(0UL, (carveout.Start + ns.Offset) % ns.Alignment);
                }

                end = ns.Offset + ns.Size;
            }

            Assert.True(end <= carveout.Available, $"namespaces use {end} of {carveout.Available}");
        }
    }
}
