using System.Text.Json;
using RamDax.Provision.Output;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;

namespace RamDax.Provision.Tests.Output;

/// <summary>The files the agent keeps and what it prints are written with the same JSON words, though each layer has its own context.</summary>
public sealed class JsonContextsTests
{
    public static TheoryData<string> Layers => new() { "state", "reconcile" };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Every_layer_writes_json_with_the_options_of_the_printed_output(string layer)
    {
        var printed = ProvisionJsonContext.Default.Options;
        JsonSerializerOptions kept = layer == "state" ? StateJsonContext.Default.Options : ReconcileJsonContext.Default.Options;

        Assert.Equal(printed.PropertyNamingPolicy, kept.PropertyNamingPolicy);
        Assert.Equal(printed.WriteIndented, kept.WriteIndented);
        Assert.Equal(printed.DefaultIgnoreCondition, kept.DefaultIgnoreCondition);
        Assert.Equal(printed.Converters.Select(c => c.GetType()), kept.Converters.Select(c => c.GetType()));
    }
}
