using System.Text.Json.Serialization;

namespace RamDax.Provision.Planning;

/// <summary>The driver that turns the carve-outs into regions.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DriverKind>))]
public enum DriverKind
{
    /// <summary>Linux 6.19+: one labelled DIMM per range, split into namespaces with ndctl.</summary>
    Ramdax,

    /// <summary>Older kernels: one label-less region per range, so one range per namespace.</summary>
    NdE820,
}
