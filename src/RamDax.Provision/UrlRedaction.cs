using System.Text.RegularExpressions;

namespace RamDax.Provision;

/// <summary>
/// URLs as messages may show them: any <c>user:password@</c> replaced by <c>***@</c>. At the root
/// because the configuration (a bad <c>metadata.endpoint</c>) and the metadata client both print URLs.
/// </summary>
public static partial class UrlRedaction
{
    /// <summary>A URL as a person wrote it, with any <c>user:password@</c> replaced by <c>***@</c>.</summary>
    public static string Redact(string text) => UserInfo().Replace(text, "//***@");

    [GeneratedRegex("//[^/@?#]*@")]
    private static partial Regex UserInfo();
}
