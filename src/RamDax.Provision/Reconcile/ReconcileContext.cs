using Microsoft.Extensions.Logging;
using RamDax.Provision.Machine;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile;

/// <summary>The imperative shell every stage works through: reads under the root, one tool runner, one writer.</summary>
public sealed record ReconcileContext(MachineRoot Root, IToolRunner Tools, IMachineWriter Writer, ILogger Log, TimeProvider Time, ReconcileOptions Options)
{
    public static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(30);

    // modprobe of ramdax or nd_e820 loads libnvdimm, nd_pmem and the dax modules with them; on a
    // starved single vCPU at boot it was seen taking over 30 s. A bound, not a wait: it ends when
    // modprobe does, and the unit's TimeoutStartSec bounds the whole run.
    public static readonly TimeSpan ModuleTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan NdctlTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MkfsTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan MountTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs a tool and throws <see cref="ToolFailedException"/> unless it exits 0.</summary>
    public async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string doing, CancellationToken ct)
    {
        var result = await Tools.RunAsync(tool, arguments, timeout, null, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ToolFailedException(result, doing);
        }

        return result;
    }

    /// <summary>Waits for udev to finish the events the last change caused (device nodes, /dev/disk links).</summary>
    public Task SettleAsync(CancellationToken ct) =>
        RunAsync(ExternalTools.Udevadm, ["settle", $"--timeout={(int)SettleTimeout.TotalSeconds}"], SettleTimeout + QuickTimeout, "wait for udev", ct);
}
