namespace RamDax.Provision.Configuration;

/// <summary>The configuration is invalid; carries every error found, not only the first.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigError> errors)
    : ProvisionException(Describe(errors), ExitCodes.ConfigurationInvalid)
{
    public IReadOnlyList<ConfigError> Errors { get; } = InReadingOrder(errors);

    /// <summary>Layer by layer (in the order they first appear), then by line and column.</summary>
    public static IReadOnlyList<ConfigError> InReadingOrder(IReadOnlyList<ConfigError> errors)
    {
        var layers = errors.Select(e => e.Position?.Layer ?? "").Distinct().ToList();
        return [.. errors
            .OrderBy(e => layers.IndexOf(e.Position?.Layer ?? ""))
            .ThenBy(e => e.Position?.Line ?? 0)
            .ThenBy(e => e.Position?.Column ?? 0)];
    }

    private static string Describe(IReadOnlyList<ConfigError> errors) =>
        $"the configuration has {errors.Count} error{(errors.Count == 1 ? "" : "s")}:{Environment.NewLine}"
        + string.Join(Environment.NewLine, InReadingOrder(errors).Select(e => "  " + e));
}
