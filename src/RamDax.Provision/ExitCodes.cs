namespace RamDax.Provision;

/// <summary>
/// Exit codes scripts can rely on. The configuration and input codes follow sysexits.h.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything planned is in place (or, for read-only commands, the command succeeded).</summary>
    public const int Ok = 0;

    /// <summary>Something planned is not in place, or an external tool failed.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The configuration is valid but this machine cannot satisfy it; nothing was changed.</summary>
    public const int PlanRefused = 3;

    /// <summary>Another run holds the lock.</summary>
    public const int Busy = 4;

    /// <summary>The configuration is invalid (EX_DATAERR); nothing was changed.</summary>
    public const int ConfigurationInvalid = 65;

    /// <summary>A file the agent must read is missing or unreadable (EX_NOINPUT).</summary>
    public const int InputMissing = 66;

    /// <summary>Instance metadata is required and no source answered (EX_UNAVAILABLE); nothing was changed.</summary>
    public const int MetadataUnavailable = 69;

    /// <summary>An internal error (EX_SOFTWARE): a defect to report.</summary>
    public const int Internal = 70;

    /// <summary>A file or directory could not be created (EX_CANTCREAT): read-only, permission, or something in the way.</summary>
    public const int CannotCreate = 73;

    /// <summary>An I/O error while writing (EX_IOERR): a full disk, a failing device.</summary>
    public const int IoError = 74;

    /// <summary>Stopped by SIGINT or SIGTERM (as at shutdown) before it finished; every file it writes is replaced whole, so none is half-written.</summary>
    public const int Interrupted = 130;
}
