using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace RamDax.Provision.Metadata.Http;

/// <summary>Facts about a metadata service's address.</summary>
public static partial class MetadataEndpoint
{
    /// <summary>The link-local address of AWS, Azure and OpenStack.</summary>
    public static readonly Uri LinkLocal = new("http://169.254.169.254");

    /// <summary>The name GCE's metadata server answers to.</summary>
    public static readonly Uri Google = new("http://metadata.google.internal");

    /// <summary>
    /// Whether requests to <paramref name="uri"/> must not go through a proxy: a proxy would answer
    /// with its own metadata (or leak the request), so link-local, loopback and the GCE name are
    /// always reached directly, whatever <c>http_proxy</c> says.
    /// </summary>
    public static bool BypassesProxy(Uri uri)
    {
        if (uri.IsLoopback || string.Equals(uri.IdnHost, "metadata.google.internal", StringComparison.OrdinalIgnoreCase)
            || string.Equals(uri.IdnHost, "metadata", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(uri.IdnHost, out var address))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal;
        }

        var bytes = address.GetAddressBytes();
        return bytes[0] == 169 && bytes[1] == 254;
    }

    /// <summary>Whether a redirect from <paramref name="from"/> to <paramref name="to"/> stays on the same service.</summary>
    public static bool SameService(Uri from, Uri to) =>
        string.Equals(from.Scheme, to.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(from.IdnHost, to.IdnHost, StringComparison.OrdinalIgnoreCase)
        && from.Port == to.Port;

    /// <summary>
    /// How <paramref name="uri"/> is named in messages: scheme, host and port, never the user and
    /// password a <c>metadata.endpoint</c> may carry (<c>http://user:secret@host</c>).
    /// </summary>
    public static string Display(Uri uri) =>
        uri.IsAbsoluteUri ? $"{uri.Scheme}://{uri.IdnHost}{(uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}" : "(relative URL)";

    /// <summary>A URL as a person wrote it, with any <c>user:password@</c> replaced by <c>***@</c>.</summary>
    public static string Redact(string text) => UrlRedaction.Redact(text);
}
