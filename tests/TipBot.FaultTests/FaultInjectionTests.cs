using StackExchange.Redis;
using TipBot.FaultTests.Chaos;
using Xunit.Abstractions;

namespace TipBot.FaultTests;

/// <summary>
/// Issue 8, "Faults": real server processes on their own Redis and PostgreSQL, residents through
/// the webhook, and SIGKILLs, restarts and Telegram outages meanwhile; then every code a resident
/// was given must be exactly one tip, every tip must have reached an officer once, no reply may
/// have gone out twice (except inside a kill's send window, counted apart) and every job must
/// have finished. TIPBOT_FAULTS=long (scripts/fault-test.sh) runs the same with bigger numbers.
/// </summary>
[Collection(ServerProcesses.Name)]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Tips_acknowledged_with_a_code_are_never_lost_or_doubled_under_kills_restarts_and_outages()
    {
        var profile = FaultProfile.FromEnvironment();
        var started = DateTime.UtcNow;
        var outDir = Environment.GetEnvironmentVariable("TIPBOT_FAULTS_OUT") is { Length: > 0 } o ? o : null;
        void Echo(string line)
        {
            try { output.WriteLine(line); }
            catch (InvalidOperationException) { /* the test is over */ }
            if (outDir is not null) Console.Error.WriteLine(line);
        }

        string report;
        List<string> failures;
        await using (var run = await FaultRun.StartAsync(profile, outDir, Echo))
        {
            try
            {
                await run.RunLoadAndFaultsAsync();
                using var redis = await ConnectionMultiplexer.ConnectAsync(run.Redis.ConnectionString + ",abortConnect=false");
                var database = run.Postgres.ConnectionString(run.DatabaseName);
                await run.DrainAsync(
                    async () => Reconciliation.Of(run, await Records.ReadAsync(database, redis, run.Prefix)).Unsettled,
                    left => !profile.WaitOutStaleClaims && left.All(u => u.StartsWith("claim:", StringComparison.Ordinal)));
                var result = Reconciliation.Of(run, await Records.ReadAsync(database, redis, run.Prefix));
                await run.Telegram.WriteAsync(Path.Combine(run.Logs, "telegram-messages.tsv"));
                failures = Report.Failures(profile, run, result);
                report = Report.Format(profile, run, result, DateTime.UtcNow - started, failures);
            }
            catch
            {
                run.KeepLogs(outDir ?? Path.Combine(Path.GetTempPath(), $"tipbot-faults-failed-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
                throw;
            }
            var keep = outDir ?? (failures.Count > 0 ? Path.Combine(Path.GetTempPath(), $"tipbot-faults-failed-{DateTime.UtcNow:yyyyMMdd-HHmmss}") : null);
            if (run.KeepLogs(keep) is { } kept)
            {
                await File.WriteAllTextAsync(Path.Combine(kept, "report.md"), report);
                report += $"\nLogs and the report are kept in {kept}\n";
            }
        }
        output.WriteLine(report);
        Assert.True(failures.Count == 0, report);
    }
}
