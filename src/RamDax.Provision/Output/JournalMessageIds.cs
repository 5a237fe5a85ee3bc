namespace RamDax.Provision.Output;

/// <summary>
/// The fixed MESSAGE_IDs of the events an operator alerts on (<c>journalctl MESSAGE_ID=...</c>).
/// They never change; the manual page lists them.
/// </summary>
public static class JournalMessageIds
{
    /// <summary>The configuration is valid but this machine cannot hold it; nothing was changed.</summary>
    public const string PlanRefused = "c9cbbf45a68e4c409aabf949675c88db";

    /// <summary>The agent asked for a reboot (or kexec) to make its kernel arguments live.</summary>
    public const string RebootRequested = "d75e1f9f0ec34ad796463d797a292f0f";

    /// <summary>A cold boot cleared the carve-out; a namespace or filesystem was made again, empty (data lost by design).</summary>
    public const string RecreatedAfterColdBoot = "ce388e249ede457d9b919b21292b0dd2";

    /// <summary>A filesystem is mounted without DAX (it was stopped, or must be unmounted).</summary>
    public const string MountWithoutDax = "08581e6963f244f9a09fe9cfb5d056d4";

    /// <summary>A namespace exists with another mode or size than planned and was left alone.</summary>
    public const string Drifted = "ff8f9c9568234bed81391d0c450bcb90";
}
