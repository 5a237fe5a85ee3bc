using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RamDax.Provision.Machine;

namespace RamDax.Provision.State;

/// <summary>
/// Reads the agent's own JSON files (state, recorded plan, status) under the machine root. A file
/// that cannot be read, is not JSON, or lacks what the agent writes (<c>{}</c>, an unknown
/// version, a directory in its place) is an error naming the file and the way out.
/// </summary>
public static class StateFile
{
    /// <summary>
    /// The file's content; null when it does not exist. <paramref name="check"/> says what is
    /// wrong with a file that parsed but cannot be what the agent wrote (null when it is fine).
    /// </summary>
    public static T? Read<T>(MachineRoot root, string path, JsonTypeInfo<T> type, Func<T, string?>? check = null)
        where T : class
    {
        string? text;
        try
        {
            text = root.TryReadText(path);
        }
        catch (MachineReadException e)
        {
            throw new StateDamagedException(root.Resolve(path), e.Message.Replace($"cannot read {root.Resolve(path)}: ", "", StringComparison.Ordinal));
        }

        if (text is null)
        {
            return null;
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException e)
        {
            throw new StateDamagedException(root.Resolve(path), e.LineNumber is { } line ? $"not the JSON the agent writes, at line {line + 1}" : "not the JSON the agent writes");
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new StateDamagedException(root.Resolve(path), "not the JSON the agent writes");
        }

        if (value is null)
        {
            throw new StateDamagedException(root.Resolve(path), "it holds null");
        }

        if (check?.Invoke(value) is { } problem)
        {
            throw new StateDamagedException(root.Resolve(path), problem);
        }

        return value;
    }
}
