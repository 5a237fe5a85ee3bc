using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile;

/// <summary>Where one thing of the plan stands after a reconcile.</summary>
public enum ItemState
{
    /// <summary>It was already as planned; nothing was changed.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>It was missing and was made this boot.</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>A cold boot (power cycle) cleared the carve-out, as expected; it was made again, empty.</summary>
    [JsonStringEnumMemberName("recreated_after_cold_boot")]
    RecreatedAfterColdBoot,

    /// <summary>It exists but differs from the plan, and was left alone.</summary>
    [JsonStringEnumMemberName("drifted")]
    Drifted,

    /// <summary>It could not be put in place.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>The words for states in log lines and tables: the same as in the JSON report.</summary>
public static class ItemStateWords
{
    public static string Word(this ItemState state) => state switch
    {
        ItemState.Ok => "ok",
        ItemState.Created => "created",
        ItemState.RecreatedAfterColdBoot => "recreated_after_cold_boot",
        ItemState.Drifted => "drifted",
        _ => "failed",
    };
}
