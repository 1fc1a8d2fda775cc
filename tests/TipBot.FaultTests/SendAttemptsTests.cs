using TipBot.FaultTests.Chaos;

namespace TipBot.FaultTests;

/// <summary>The reconciliation reads the servers' own account of attempts that got no answer.</summary>
public sealed class SendAttemptsTests
{
    [Fact]
    public void Failed_attempts_are_read_with_their_start_by_the_servers_clock_across_midnight()
    {
        var log = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(log,
            [
                "23:59:58.100 info: TipBot.Server.Tips.RouteTipJob[0] Tip 7e12 assigned to officer o-20257 (UnitOfficer)",
                "23:59:59.500 info: TipBot.Channels.ChannelDispatcher[0] A telegram send attempt failed after 10012 ms (Transient): telegram: The request was canceled due to the configured HttpClient.Timeout of 10 seconds elapsing.",
                "00:00:01.250 warn: TipBot.Channels.ChannelDispatcher[0] A telegram send attempt was cut off by the send deadline after 1200 ms",
                "00:00:02.000 info: TipBot.Channels.ChannelDispatcher[0] A telegram send attempt failed after 3 ms (RateLimited): telegram: Too Many Requests: retry after 1",
            ]);

            var attempts = SendAttempts.Read("a12", log, new DateTime(2026, 11, 27, 0, 0, 30, DateTimeKind.Utc));

            Assert.Equal(2, attempts.Count); // a cut-off attempt is no timeout of the client's
            Assert.Equal(new FailedAttempt("a12", new DateTime(2026, 11, 26, 23, 59, 49, 488, DateTimeKind.Utc), new DateTime(2026, 11, 26, 23, 59, 59, 500, DateTimeKind.Utc), TimeSpan.FromMilliseconds(10012)), attempts[0]);
            Assert.Equal(new DateTime(2026, 11, 27, 0, 0, 2, DateTimeKind.Utc), attempts[1].End);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
