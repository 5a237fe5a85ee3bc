using System.Net.Sockets;

namespace RamDax.Provision.Output;

/// <summary>Sends one datagram to a Unix socket (the journal's, or systemd's notification socket).</summary>
public static class UnixDatagram
{
    /// <summary>
    /// Sends <paramref name="payload"/> to <paramref name="path"/> (a leading <c>@</c> names an
    /// abstract socket, as in <c>NOTIFY_SOCKET</c>). False when it could not be sent: logging must
    /// never make a run fail.
    /// </summary>
    public static bool TrySend(string path, ReadOnlySpan<byte> payload)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            var address = path.StartsWith('@') ? "\0" + path[1..] : path;
            socket.SendTo(payload, SocketFlags.None, new UnixDomainSocketEndPoint(address));
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or ArgumentException)
        {
            return false;
        }
    }
}
