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
    public ProvisionState Read()
    {
        var text = root.TryReadText(StatePath);
        if (text is null)
        {
            return ProvisionState.Empty;
        }

        try
        {
            return JsonSerializer.Deserialize(text, StateJsonContext.Default.ProvisionState) ?? ProvisionState.Empty;
        }
        catch (JsonException e)
        {
            throw new StateDamagedException(Path, e.Message);
        }
    }

    public void Write(ProvisionState state) =>
        AtomicFile.Write(Path, JsonSerializer.Serialize(state, StateJsonContext.Default.ProvisionState) + "\n");
}

/// <summary>The state file cannot be read back.</summary>
public sealed class StateDamagedException(string path, string detail)
    : ProvisionException(
        $"the state file {path} is damaged ({detail}); move it away and run again: the agent re-plans from the machine, "
        + "but forgets which kernel arguments it wrote, so check the boot configuration for stale memmap= arguments",
        Cli.ExitCodes.InputMissing);
