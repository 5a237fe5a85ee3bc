using System.Collections.Immutable;
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
        var state = StateFile.Read(root, StatePath, StateJsonContext.Default.ProvisionState, Check) ?? ProvisionState.Empty;

        // A file of 0.1.0 is read as it is (its PascalCase words are read too) and written again in the current format.
        state = state.Format == 0 ? state with { Format = ProvisionState.CurrentFormat, Version = 0 } : state;

        // Whatever the file says, only arguments of the agent's own making can be owned, and so removed.
        var owned = state.KernelArguments.Owned.Where(OwnArguments.IsOwn).ToImmutableArray();
        return owned.Length == state.KernelArguments.Owned.Length ? state : state with { KernelArguments = state.KernelArguments with { Owned = owned } };
    }

    private static string? Check(ProvisionState state)
    {
        if (state.Format == 0 && state.Version == 0)
        {
            return "it has no format";
        }

        if (state.Format == 0 && state.Version != ProvisionState.LegacyVersion)
        {
            return $"it has version {state.Version}, and this agent reads format {ProvisionState.CurrentFormat} and the version {ProvisionState.LegacyVersion} of 0.1.0";
        }

        if (state.Format != 0 && state.Format != ProvisionState.CurrentFormat)
        {
            return $"it has format {state.Format}, and this agent reads format {ProvisionState.CurrentFormat}";
        }

        var k = state.KernelArguments;
        return k is null || k.Wanted.IsDefault || k.Owned.IsDefault || k.Files.IsDefault || state.Namespaces.IsDefault
            || k.Wanted.Any(a => a is null) || k.Owned.Any(a => a is null) || (state.LastRun is { } run && (run.Steps.IsDefault || run.Command is null))
            ? "a list or record the agent always writes is missing or null"
            : null;
    }

    /// <summary>
    /// The kernel arguments this agent owns, one per line: the package's purge reads this plain
    /// list to take them out of BLS entries and /etc/kernel/cmdline after the binary is gone.
    /// </summary>
    public const string OwnedArgumentsPath = "/var/lib/ramdax-provision/kernel-arguments";

    public void Write(ProvisionState state)
    {
        var owned = string.Concat(state.KernelArguments.Owned.Select(a => a + "\n"));
        var ownedPath = root.ResolveForWrite(OwnedArgumentsPath);
        if (!File.Exists(ownedPath) || BoundedFile.ReadText(ownedPath) != owned)
        {
            AtomicFile.Write(ownedPath, owned);
        }

        AtomicFile.Write(root.ResolveForWrite(StatePath), JsonSerializer.Serialize(state, StateJsonContext.Default.ProvisionState) + "\n");
    }
}
