using System.Buffers.Binary;
using System.Text;

namespace RamDax.Provision.Output;

/// <summary>
/// One entry for the journal's native protocol: fields <c>KEY=VALUE</c>, each ended by a newline;
/// a value that holds a newline is sent as <c>KEY</c>, newline, its length as a little-endian
/// 64-bit number, the bytes and a newline (systemd's "Native Journal Protocol").
/// </summary>
public sealed record JournalEntry(string Message, int Priority, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public const string Identifier = "ramdax-provision";

    public JournalEntry(string message, int priority)
        : this(message, priority, [])
    {
    }

    /// <summary>The datagram: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, then the other fields in order.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        Field(buffer, "MESSAGE", Message);
        Field(buffer, "PRIORITY", Priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(buffer, "SYSLOG_IDENTIFIER", Identifier);
        foreach (var (key, value) in Fields)
        {
            Field(buffer, key, value);
        }

        return buffer.ToArray();
    }

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? this[string key] => Fields.Where(f => f.Key == key).Select(f => f.Value).FirstOrDefault();

    private static void Field(MemoryStream buffer, string key, string value)
    {
        // Field names are upper-case letters, digits and underscores and do not start with one.
        if (key.Length == 0 || key[0] == '_' || !key.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"'{key}' is not a journal field name", nameof(key));
        }

        buffer.Write(Encoding.ASCII.GetBytes(key));
        var bytes = Encoding.UTF8.GetBytes(value);
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)bytes.Length);
            buffer.WriteByte((byte)'\n');
            buffer.Write(length);
        }
        else
        {
            buffer.WriteByte((byte)'=');
        }

        buffer.Write(bytes);
        buffer.WriteByte((byte)'\n');
    }
}
