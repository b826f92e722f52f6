using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MicAi.Bench;

/// <summary>
/// Loopback ports for another process to listen on (a Host role, a private Postgres or Redis). Binding port 0 and
/// passing the number on races: the kernel hands port 0 out of its ephemeral range, the same range every outgoing
/// connection draws from, so between our check and the child's bind a connection may take the port. These come from
/// outside that range (read from /proc), are checked free, and are never handed out twice by one process: the tests
/// run many classes in parallel and drive the bench harness in-process, so both share <see cref="Shared"/>.
/// </summary>
internal sealed class LoopbackPorts(PortRange ephemeral, Func<int, int, int> pick)
{
    /// <summary>
    /// The lowest port handed out, as in bin/lib/services.sh's free_port: below it sit well-known ports a developer's
    /// own servers may take at any moment (5432, 6379, 8000, 8080 …).
    /// </summary>
    public const int Lowest = 20000;

    private const int Attempts = 1000;
    private readonly HashSet<int> handedOut = [];

    public static LoopbackPorts Shared { get; } = new(PortRange.Ephemeral(), Random.Shared.Next);

    public PortRange EphemeralRange => ephemeral;

    /// <summary>A port outside the ephemeral range that nothing is bound to now and this instance never gave before.</summary>
    public int Next()
    {
        var below = Math.Max(0, ephemeral.Low - Lowest); // Lowest … ephemeral.Low - 1
        var aboveStart = Math.Max(ephemeral.High + 1, Lowest);
        var above = Math.Max(0, IPEndPoint.MaxPort + 1 - aboveStart); // aboveStart … 65535
        if (below + above == 0) throw new InvalidOperationException($"no port outside the ephemeral range {ephemeral} to hand out");
        for (var i = 0; i < Attempts; i++)
        {
            var n = pick(0, below + above);
            var port = n < below ? Lowest + n : aboveStart + (n - below);
            lock (handedOut)
            {
                if (handedOut.Contains(port) || !IsFree(port)) continue;
                handedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port outside the ephemeral range {ephemeral} after {Attempts} tries");
    }

    /// <summary>
    /// True when a listener could bind the port on every IPv4 address (the Host listens on 0.0.0.0, the servers on
    /// 127.0.0.1). Without SO_REUSEADDR the bind also fails while a connection on that port lingers in TIME_WAIT.
    /// </summary>
    public static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException) { return false; }
    }
}

/// <summary>An inclusive port range.</summary>
internal readonly record struct PortRange(int Low, int High)
{
    private const string LinuxRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>IANA's dynamic range, which macOS and Windows use for outgoing connections.</summary>
    public static readonly PortRange Iana = new(49152, 65535);

    public bool Contains(int port) => port >= Low && port <= High;

    public override string ToString() => $"{Low}–{High}";

    /// <summary>The kernel's ephemeral range (Linux: "32768\t60999" in /proc); IANA's where there is no such file.</summary>
    public static PortRange Ephemeral(string file = LinuxRangeFile) =>
        File.Exists(file) ? Parse(File.ReadAllText(file)) : Iana;

    public static PortRange Parse(string text)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
               && low <= high
            ? new PortRange(low, high)
            : throw new FormatException($"not a port range: '{text.Trim()}'");
    }
}
