using System.Net;
using System.Net.Sockets;

namespace MicAi.Tests.Rehearsal;

/// <summary>
/// Relays each connection made to a Unix socket to 127.0.0.1:port, byte for byte (TLS passes through untouched).
/// A path on disk is the one door between network namespaces: a process inside one made by
/// <see cref="RenderProxyHop"/> reaches the rig's Postgres, PgBouncer and Redis through it.
/// </summary>
public sealed class UnixSocketRelay : IDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource stop = new();
    private readonly int port;

    public UnixSocketRelay(string socketPath, int port)
    {
        this.port = port;
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(128);
        _ = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket inbound;
            try { inbound = await listener.AcceptAsync(stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(Socket inbound)
    {
        using var _ = inbound;
        using var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, port, stop.Token);
            await Task.WhenAll(PumpAsync(inbound, outbound), PumpAsync(outbound, inbound));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The server or the client went away: closing both ends tells the other side, as a dropped TCP link would.
        }
    }

    /// <summary>Copies one direction; at its end, half-closes the other socket so each side sees the other's FIN.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        await using (var source = new NetworkStream(from, ownsSocket: false))
        await using (var target = new NetworkStream(to, ownsSocket: false))
            await source.CopyToAsync(target, stop.Token);
        to.Shutdown(SocketShutdown.Send);
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        stop.Dispose();
    }
}
