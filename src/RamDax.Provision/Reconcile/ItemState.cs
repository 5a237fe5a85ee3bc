using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile;

/// <summary>Where one thing of the plan stands after a reconcile.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ItemState>))]
public enum ItemState
{
    /// <summary>It was already as planned; nothing was changed.</summary>
    Ok,

    /// <summary>It was missing and was made this boot.</summary>
    Created,

    /// <summary>A cold boot (power cycle) cleared the carve-out, as expected; it was made again, empty.</summary>
    RecreatedAfterColdBoot,

    /// <summary>It exists but differs from the plan, and was left alone.</summary>
    Drifted,

    /// <summary>It could not be put in place.</summary>
    Failed,
}
