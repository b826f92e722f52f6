using MicAi.Bench;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Bench;

public sealed class PgBenchTests
{
    [Fact]
    public void Progress_IsTheTpsOfEachProgressLine_AndNothingElse()
    {
        // pgbench 15's stderr with -P 1 (the summary goes to stdout).
        const string stderr = """
            pgbench (15.18 (Debian 15.18-0+deb12u1))
            progress: 1.0 s, 2836.5 tps, lat 5.637 ms stddev 3.101, 0 failed
            progress: 2.0 s, 3012.0 tps, lat 5.301 ms stddev 2.877, 0 failed
            """;

        Assert.Equal([2836.5, 3012.0], PgBench.Progress(stderr));
    }

    [Fact]
    public void Script_InsertsTheMessagesRowWithQuotesDoubled_AndRepeatsOneKeyPerClientAtTheRatio()
    {
        var message = new InboundMessage("wamid.x", "106540352242922", "5511987654321", "5511987654321", null, "Emily O'Connor", "text",
            "hello", true, DateTimeOffset.FromUnixTimeSeconds(1768212010), null, """{"text":{"body":"O'Connor here"}}""");

        var script = PgBench.Script(message, 0.05);

        Assert.StartsWith("\\set k random(1, 9007199254740991)\n\\set d random(1, 20)\n\\if :d = 1\n", script);
        Assert.Contains("VALUES ('wamid.pgbench.repeat.' || :client_id::text, '106540352242922'", script);
        Assert.Contains("'Emily O''Connor'", script);
        Assert.Contains("""'{"text":{"body":"O''Connor here"}}'::jsonb""", script);
        Assert.Contains("'2026-01-12T10:00:10.0000000Z'::timestamptz", script);
        Assert.Contains(", NULL, ", script); // user id
        Assert.EndsWith("ON CONFLICT (wamid) DO NOTHING;\n\\endif\n", script);
        Assert.DoesNotContain("\\if", PgBench.Script(message, 0));
    }
}
