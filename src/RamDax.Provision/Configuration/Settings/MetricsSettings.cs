namespace RamDax.Provision.Configuration.Settings;

/// <summary>
/// Where <c>apply</c> writes its Prometheus textfile: node-exporter's textfile collector reads
/// every <c>*.prom</c> file in its directory. The file is written only when that directory exists.
/// </summary>
/// <param name="Textfile">An absolute path ending in <c>.prom</c>.</param>
public sealed record MetricsSettings(string Textfile)
{
    /// <summary>Debian's prometheus-node-exporter reads /var/lib/prometheus/node-exporter.</summary>
    public const string DefaultTextfile = "/var/lib/prometheus/node-exporter/ramdax_provision.prom";

    public static MetricsSettings Default { get; } = new(DefaultTextfile);
}
