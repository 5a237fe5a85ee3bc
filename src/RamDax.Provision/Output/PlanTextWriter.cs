using RamDax.Provision.Configuration;
using RamDax.Provision.Planning;

namespace RamDax.Provision.Output;

/// <summary>The plan as a person reads it: a few aligned tables.</summary>
public static class PlanTextWriter
{
    public static void Write(Plan plan, TextWriter output)
    {
        var memory = plan.Memory;
        output.WriteLine($"Driver:      {(plan.Driver == DriverKind.Ramdax ? "ramdax" : "nd_e820 (fallback: this kernel has no ramdax)")}");
        if (plan.Instance is { } instance)
        {
            output.WriteLine($"Instance:    id {instance.Id ?? "-"}, type {instance.Type ?? "-"}, cloud {instance.Cloud ?? "-"}");
        }

        output.WriteLine($"System RAM:  {ByteSize.FormatHuman(memory.SystemRam)}, carved {ByteSize.FormatHuman(memory.Carved)}, left for the OS {ByteSize.FormatHuman(memory.LeftForOs)}"
            + (memory.Foreign > 0 ? $" ({ByteSize.FormatHuman(memory.Foreign)} kept from the OS by foreign mem=/memmap=)" : ""));
        if (memory.Carved > 0)
        {
            output.WriteLine($"Carved:      {ByteSize.FormatHuman(memory.InNamespaces)} usable in namespaces, {ByteSize.FormatHuman(memory.Overhead)} labels, metadata and alignment, {ByteSize.FormatHuman(memory.Unassigned)} unassigned");
        }

        output.WriteLine();

        if (!plan.Carveouts.IsEmpty)
        {
            var rows = plan.Carveouts.Select((c, i) => new[]
            {
                i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"0x{c.Start:x}",
                ByteSize.FormatExact(c.Size),
                c.NumaNode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                ByteSize.FormatHuman(c.Available),
                ByteSize.FormatHuman(c.InNamespaces),
                ByteSize.FormatHuman(c.Overhead),
                ByteSize.FormatHuman(c.Unassigned),
                c.MemmapSpec,
            });
            Table(output, "Carve-outs", ["#", "START", "SIZE", "NODE", "AVAILABLE", "IN NAMESPACES", "OVERHEAD", "UNASSIGNED", "MEMMAP"], rows);
        }

        if (!plan.Namespaces.IsEmpty)
        {
            var rows = plan.Namespaces.Select(n => new[]
            {
                n.Name,
                n.Mode.Word(),
                ByteSize.FormatExact(n.Size),
                ByteSize.FormatHuman(n.UsableSize),
                ByteSize.FormatExact(n.Alignment),
                n.Carveout.ToString(System.Globalization.CultureInfo.InvariantCulture),
                n.Filesystem is { } fs ? $"{fs.Type.Word()} '{fs.Label}'" : "-",
                n.Mount?.Path ?? (n.Device is { } d ? $"{d.Owner}:{d.Group} {d.Mode}" : "-"),
            });
            Table(output, "Namespaces", ["NAME", "MODE", "SIZE", "USABLE", "ALIGN", "CARVE-OUT", "FILESYSTEM", "MOUNT / DEVICE"], rows);
        }

        var args = plan.KernelArguments;
        output.WriteLine("Kernel arguments");
        output.WriteLine($"  wanted:  {Join(args.Wanted)}");
        output.WriteLine($"  add:     {Join(args.Add)}");
        output.WriteLine($"  remove:  {Join(args.Remove)}");
        output.WriteLine(args.Satisfied ? "  the running kernel already has them" : "  a boot with the new arguments is needed");

        if (!plan.Warnings.IsEmpty)
        {
            output.WriteLine();
            output.WriteLine("Warnings");
            foreach (var warning in plan.Warnings)
            {
                output.WriteLine($"  - {warning}");
            }
        }
    }

    /// <summary>Writes rows under a title with columns padded to their widest cell.</summary>
    public static void Table(TextWriter output, string title, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        output.WriteLine(title);
        foreach (var row in all)
        {
            output.WriteLine("  " + string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        }

        output.WriteLine();
    }

    private static string Join(IEnumerable<string> arguments)
    {
        var text = string.Join(' ', arguments);
        return text.Length == 0 ? "(none)" : text;
    }
}
