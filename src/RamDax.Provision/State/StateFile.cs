using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RamDax.Provision.Machine;

namespace RamDax.Provision.State;

/// <summary>Reads the agent's own JSON files (state, recorded plan, status) under the machine root.</summary>
public static class StateFile
{
    /// <summary>The file's content; null when it does not exist; a damaged file is an error naming it.</summary>
    public static T? Read<T>(MachineRoot root, string path, JsonTypeInfo<T> type)
        where T : class
    {
        var text = root.TryReadText(path);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException e)
        {
            throw new StateDamagedException(root.Resolve(path), e.Message);
        }
    }
}
