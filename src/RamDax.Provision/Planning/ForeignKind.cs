using System.Text.Json.Serialization;

namespace RamDax.Provision.Planning;

/// <summary>What a <c>memmap=</c> entry the agent does not own does to a range.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ForeignKind>))]
public enum ForeignKind
{
    /// <summary><c>nn!ss</c>: persistent memory (e820 type 12), a <c>/dev/pmemN</c> someone uses.</summary>
    Persistent,

    /// <summary><c>nn$ss</c>: reserved, the OS never uses it.</summary>
    Reserved,

    /// <summary><c>nn#ss</c>: ACPI data.</summary>
    Acpi,
}
