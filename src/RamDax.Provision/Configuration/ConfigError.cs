namespace RamDax.Provision.Configuration;

/// <summary>One problem with the configuration: where, which key, what is wrong and what to do.</summary>
public sealed record ConfigError(SourcePosition? Position, string? Key, string Message)
{
    public override string ToString()
    {
        var where = Position is null ? "" : Position + ": ";
        var key = Key is null ? "" : $"{ConfigKey.Display(Key)}: ";
        return where + key + Message;
    }
}
