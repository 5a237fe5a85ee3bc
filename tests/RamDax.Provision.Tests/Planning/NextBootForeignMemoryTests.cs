using RamDax.Provision.Boot;
using RamDax.Provision.Machine;
using RamDax.Provision.Planning;
using RamDax.Provision.Tests.Support;
using static RamDax.Provision.Tests.Planning.PlanningInputs;

namespace RamDax.Provision.Tests.Planning;

/// <summary>
/// Foreign memory arguments someone wrote into the boot configuration but has not booted yet
/// (fixture overlays in <c>tests/fixtures/roots/next-boot</c> over the recorded Debian 13 guest).
/// </summary>
public sealed class NextBootForeignMemoryTests : IDisposable
{
    private const ulong G = 1UL << 30;
    private const string OneGigabyte = "carveout: {size: 1G}\nnamespaces: [{name: a, size: rest}]\n";
    private const string Adopting = "carveout: {size: 1G, adopt_foreign_pmem: true}\nnamespaces: [{name: a, size: rest}]\n";
    private readonly List<TempRoot> _roots = [];

    public void Dispose() => _roots.ForEach(r => r.Dispose());

    private MachineFacts Machine(string root, string? overlay = null, string? cmdlineAppend = null)
    {
        var temp = new TempRoot().CopyFixture($"roots/{root}");
        _roots.Add(temp);
        if (overlay is not null)
        {
            temp.CopyFixture($"roots/next-boot/{overlay}");
        }

        if (cmdlineAppend is not null)
        {
            temp.Write("/proc/cmdline", File.ReadAllText(temp.Root.Resolve("/proc/cmdline")).TrimEnd() + " " + cmdlineAppend + "\n");
        }

        return NextBootReader.ReadFacts(temp.Root);
    }

    [Fact]
    public void A_reserved_memmap_only_in_etc_default_grub_is_kept_clear_of_before_it_is_booted()
    {
        var booted = Planner.Make(Machine("qemu-trixie-6G"), Settings(OneGigabyte));
        var pending = Planner.Make(Machine("qemu-trixie-6G", "grub-reserved-pending"), Settings(OneGigabyte));

        Assert.Equal(6 * G, booted.Carveouts.Single().Start);
        var carveout = Assert.Single(pending.Carveouts);
        Assert.Equal(5 * G, carveout.Start);
        Assert.True(carveout.Start + carveout.Size <= 6 * G, "the carve-out overlaps memmap=1G$6G");
        Assert.Equal(G, pending.Memory.Foreign);
    }

    [Fact]
    public void Persistent_memory_only_in_etc_kernel_cmdline_is_refused_naming_the_file_and_the_setting_that_allows_it()
    {
        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Machine("qemu-trixie-6G", "kernel-install-pmem"), Settings(OneGigabyte)));

        Assert.Contains("memmap=1G!6G (0x180000000-0x1bfffffff) in /etc/kernel/cmdline", e.Reason, StringComparison.Ordinal);
        Assert.Contains("set carveout.adopt_foreign_pmem: true", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_adopt_foreign_pmem_the_plan_goes_ahead_beside_it_and_warns_naming_the_range()
    {
        var plan = Planner.Make(Machine("qemu-trixie-6G", "kernel-install-pmem"), Settings(Adopting));

        var carveout = Assert.Single(plan.Carveouts);
        Assert.Equal((4 * G, G), (carveout.Start, carveout.Size)); // not touching 6G: the kernel would merge the two into one region
        var warning = Assert.Single(plan.Warnings, w => w.StartsWith("carveout.adopt_foreign_pmem is true", StringComparison.Ordinal));
        Assert.Contains("memmap=1G!6G (0x180000000-0x1bfffffff) in /etc/kernel/cmdline", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Mem_in_the_boot_configuration_limits_the_os_memory_as_mem_on_the_running_command_line_does()
    {
        var pending = Planner.Make(Machine("qemu-trixie-6G", "grub-mem-limit"), Settings(OneGigabyte));
        var running = Planner.Make(Machine("qemu-trixie-6G", cmdlineAppend: "mem=5G"), Settings(OneGigabyte));

        var carveout = Assert.Single(pending.Carveouts);
        Assert.True(carveout.Start + carveout.Size <= 5 * G, "a carve-out above mem=5G would not exist");
        Assert.Equal(2 * G, pending.Memory.Foreign); // the System RAM from 5 to 7 GiB
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(running, RamDax.Provision.Output.ProvisionJsonContext.Default.Plan),
            System.Text.Json.JsonSerializer.Serialize(pending, RamDax.Provision.Output.ProvisionJsonContext.Default.Plan));
    }

    [Fact]
    public void The_agents_own_drop_in_is_not_foreign()
    {
        var plan = Planner.Make(Machine("qemu-trixie-6G", "grub-own-drop-in"), Settings(OneGigabyte));

        Assert.Equal(6 * G, plan.Carveouts.Single().Start);
        Assert.Equal(0UL, plan.Memory.Foreign);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("foreign", StringComparison.Ordinal));
    }

    [Fact]
    public void A_drop_in_someone_else_wrote_is_foreign_before_the_reboot()
    {
        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(Machine("qemu-trixie-6G", "zz-capture"), Settings(OneGigabyte)));

        Assert.Contains("memmap=2G!4G (0x100000000-0x17fffffff) in /etc/default/grub.d/zz-capture.cfg line 1", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_on_the_running_command_line_and_in_the_boot_configuration_is_counted_once()
    {
        var machine = Machine("qemu-trixie-6G-memmap2G", "zz-capture");

        var foreign = ForeignMemory.From(machine.CommandLine, [], machine.NextBoot);
        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(machine, Settings(OneGigabyte)));

        var range = Assert.Single(foreign.Ranges);
        Assert.Equal("/proc/cmdline and /etc/default/grub.d/zz-capture.cfg line 1", range.Source);
        Assert.Equal(1, foreign.MemmapEntries);
        Assert.Contains("memmap=2G!4G (0x100000000-0x17fffffff) in /proc/cmdline and /etc/default/grub.d/zz-capture.cfg line 1;", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Owned_arguments_in_etc_kernel_cmdline_are_the_agents()
    {
        var plan = Planner.Make(Machine("qemu-trixie-6G", "kernel-install-pmem"), Settings(OneGigabyte), ["memmap=1G!6G"]);

        Assert.Equal(6 * G, plan.Carveouts.Single().Start);
    }

    [Fact]
    public void Persistent_memory_in_a_bls_entry_through_grubenv_is_foreign_naming_the_entry()
    {
        // RHEL 8's entry says $tuned_params; tuned's bootloader plugin puts its cmdline in grubenv.
        const string entry = "/boot/loader/entries/rhel-4.18.0-80.1.2.el8_0.x86_64.conf";
        var temp = new TempRoot().CopyFixture("roots/qemu-trixie-6G");
        _roots.Add(temp);
        temp.Write(entry, Fixtures.Read("upstream/rhel8-bls-entry.conf"))
            .Write("/boot/grub2/grubenv", "# GRUB Environment Block\ntuned_params=memmap=1G!6G\n");

        var e = Assert.Throws<PlanRefusedException>(() => Planner.Make(NextBootReader.ReadFacts(temp.Root), Settings(OneGigabyte)));
        var owned = Planner.Make(NextBootReader.ReadFacts(temp.Root), Settings(OneGigabyte), ["memmap=1G!6G"]);

        Assert.Contains($"memmap=1G!6G (0x180000000-0x1bfffffff) in {entry}", e.Reason, StringComparison.Ordinal);
        Assert.Equal(6 * G, owned.Carveouts.Single().Start);
    }

    [Fact]
    public void A_reserved_range_in_a_bls_entry_s_options_is_kept_clear_of()
    {
        var temp = new TempRoot().CopyFixture("roots/qemu-trixie-6G");
        _roots.Add(temp);
        temp.Write("/boot/loader/entries/fedora-6.19.0.conf",
            Fixtures.Read("upstream/rhel8-bls-entry.conf").Replace("$tuned_params noapic", "memmap=1G$6G", StringComparison.Ordinal));

        var plan = Planner.Make(NextBootReader.ReadFacts(temp.Root), Settings(OneGigabyte));

        Assert.Equal(5 * G, plan.Carveouts.Single().Start);
        Assert.Equal(G, plan.Memory.Foreign);
    }
}
