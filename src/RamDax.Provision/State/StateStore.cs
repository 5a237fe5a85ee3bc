using System.Text.Json;
using RamDax.Provision.Files;
using RamDax.Provision.Machine;

namespace RamDax.Provision.State;

/// <summary>Reads and atomically writes the state file under the machine root.</summary>
public sealed class StateStore(MachineRoot root)
{
    public const string StatePath = "/var/lib/ramdax-provision/state.json";

    public string Path => root.Resolve(StatePath);

    public bool Exists => File.Exists(Path);

    /// <summary>The stored state; <see cref="ProvisionState.Empty"/> before the first run.</summary>
    public ProvisionState Read() => StateFile.Read(root, StatePath, StateJsonContext.Default.ProvisionState) ?? ProvisionState.Empty;

    /// <summary>
    /// The kernel arguments this agent owns, one per line: the package's purge reads this plain
    /// list to take them out of BLS entries and /etc/kernel/cmdline after the binary is gone.
    /// </summary>
    public const string OwnedArgumentsPath = "/var/lib/ramdax-provision/kernel-arguments";

    public void Write(ProvisionState state)
    {
        var owned = string.Concat(state.KernelArguments.Owned.Select(a => a + "\n"));
        if (root.TryReadText(OwnedArgumentsPath) != owned)
        {
            AtomicFile.Write(root.Resolve(OwnedArgumentsPath), owned);
        }

        AtomicFile.Write(Path, JsonSerializer.Serialize(state, StateJsonContext.Default.ProvisionState) + "\n");
    }
}

/// <summary>The state file cannot be read back.</summary>
public sealed class StateDamagedException(string path, string detail)
    : ProvisionException(
        $"the state file {path} is damaged ({detail}); move it away and run again: the agent re-plans from the machine, "
        + "but forgets which kernel arguments it wrote, so check the boot configuration for stale memmap= arguments",
        ExitCodes.InputMissing);
