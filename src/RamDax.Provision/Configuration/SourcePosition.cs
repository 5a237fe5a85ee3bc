namespace RamDax.Provision.Configuration;

/// <summary>Where a configuration value came from: a layer, and a line and column when it is a file.</summary>
public sealed record SourcePosition(string Layer, int Line = 0, int Column = 0)
{
    public override string ToString() => Line > 0 ? $"{Layer}:{Line}:{Column}" : Layer;
}
