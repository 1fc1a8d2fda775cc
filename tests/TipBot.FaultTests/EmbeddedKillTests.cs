using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using TipBot.FaultTests.Chaos;
using TipBot.FaultTests.Infrastructure;
using TipBot.FaultTests.Load;
using Xunit.Abstractions;

namespace TipBot.FaultTests;

/// <summary>
/// The embedded default (SQLite, in-process conversations and de-duplication, Hangfire.InMemory)
/// SIGKILLed while residents send tips. Without Redis a conversation in progress dies with its
/// process (the resident's later presses find none and get no code), but the records must not:
/// every code a resident was given is one tip of theirs, no resident has two tips, a resident whose
/// conversation no kill interrupted has their tip and its code, every tip reaches its officer once
/// (a second copy only from a process killed inside that send), and nothing stays pending. New tips are
/// written in groups on this store (Tips/SubmissionWriter.cs), so kills land inside and between
/// group writes.
/// </summary>
[Collection(ServerProcesses.Name)]
public sealed class EmbeddedKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Tips_given_a_code_on_the_embedded_store_are_kept_and_alerted_once_across_kills()
    {
        var longProfile = Environment.GetEnvironmentVariable("TIPBOT_FAULTS") is "long";
        var (residentCount, spread, kills) = longProfile ? (300, TimeSpan.FromSeconds(45), 12) : (80, TimeSpan.FromSeconds(16), 4);
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TIPBOT_FAULTS_SEED"), out var s) ? s : Random.Shared.Next(1, 1_000_000);
        var random = new Random(seed);

        var work = Directory.CreateTempSubdirectory("tipbot-embedded-kills.").FullName;
        var logs = Environment.GetEnvironmentVariable("TIPBOT_FAULTS_OUT") is { Length: > 0 } o ? Path.Combine(o, "embedded") : Path.Combine(work, "logs");
        Directory.CreateDirectory(logs);
        var events = new EventLog(Path.Combine(logs, "events.log"), line => { try { output.WriteLine(line); } catch (InvalidOperationException) { } });
        var passed = false;
        try
        {
            events.Add("setup", $"embedded store, {residentCount} residents over {spread.TotalSeconds:0} s, {kills} kills, seed {seed}, work folder {work}");
            await using var telegram = await TelegramDouble.StartAsync();
            var dll = FaultRun.SnapshotServer(work);
            var database = Path.Combine(work, "tipbot.db");
            var environment = FaultRun.ServerEnvironment(telegram.BaseUrl);
            environment["ConnectionStrings__Database"] = $"Data Source={database}";
            environment["ConnectionStrings__Redis"] = "";
            events.Add("setup", await FaultRun.ImportDirectoryAsync(work, dll, environment));

            await using var node = new ServerNode("a", dll, environment, telegram.StartEndpointAsync, logs, events);
            await node.StartAsync();
            Assert.True(await node.WaitReadyAsync(TimeSpan.FromSeconds(90)), "the server did not get ready; its log is in " + logs);

            // Residents start one after another; the kills fall at random moments while they talk.
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var webhook = new Webhook(() => [node], FaultRun.Secret, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60));
            var started = DateTime.UtcNow;
            var residents = Enumerable.Range(0, residentCount).Select(i => new Resident(i, 7_400_000_000 + i)).ToList();
            var load = residents.Select(async (resident, i) =>
            {
                await Task.Delay(spread * i / residentCount, stop.Token);
                await resident.RunAsync(webhook, stop.Token);
            }).ToList();
            // Between two kills Telegram fails for a while (500, then 429): the sends it refuses are retried
            // by Hangfire.InMemory, whose jobs die with the process, so the sweep has to find them.
            var faults = new[] { TelegramFault.ServerError, TelegramFault.TooManyRequests };
            for (var k = 0; k < kills; k++)
            {
                var due = started + spread * (k + 0.5 + random.NextDouble() * 0.5) / kills;
                if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow, stop.Token);
                await node.KillAsync(TimeSpan.FromMilliseconds(300));
                if (k % 2 == 0)
                {
                    var fault = faults[k / 2 % faults.Length];
                    telegram.StartFault(fault, TimeSpan.FromSeconds(2));
                    events.Add("telegram", $"{fault} for 2 s");
                }
            }
            await Task.WhenAll(load);
            events.Add("load", $"residents done: {residents.Count(r => r.Completed)} went through every step, {residents.Count(r => r.GaveUp)} gave up, {webhook.Redeliveries} redeliveries");
            Assert.True(await node.WaitReadyAsync(TimeSpan.FromSeconds(90)), "the server did not come back after the last kill");

            // Settled: every tip alerted and recorded so, every reply sent. A claim the killed process held waits a minute.
            Check check = null!;
            var deadline = DateTime.UtcNow + DrainLimit;
            do
            {
                check = Check.Of(await SqliteRows.ReadAsync(database), telegram.Accepted, residents, node.Generations);
                if (check.Pending.Count == 0) break;
                await Task.Delay(1000);
            } while (DateTime.UtcNow < deadline);
            events.Add("drain", check.Pending.Count == 0 ? "settled" : $"still pending: {string.Join("; ", check.Pending.Take(8))}");

            var kept = node.Generations.Count(g => g.KilledAt is not null);
            var summary = $"""
                embedded store, seed {seed}: {residents.Count} residents, {kept} kills
                tips {check.Tips}; residents without a tip (a kill ended their conversation) {residents.Count - check.Tips}; residents no kill interrupted {check.Uninterrupted}, each with a tip; codes given {check.CodesGiven}; tips whose resident never saw the code (the process died between commit and reply) {check.CodeNeverSeen}
                alerts {check.AlertMessages} for {check.Tips} tips; second copies inside a kill's send window {check.SendWindowDoubles}
                violations: {(check.Violations.Count == 0 ? "none" : string.Join("\n  ", check.Violations))}
                pending: {(check.Pending.Count == 0 ? "none" : string.Join("\n  ", check.Pending))}
                """;
            events.Add("result", summary);
            Assert.Equal(kills, kept);
            // A kill ends every conversation in progress, so many residents get no code; a quarter is plenty to test with.
            Assert.True(check.CodesGiven >= residentCount / 4, $"only {check.CodesGiven} of {residentCount} residents got a code: the run tested too little\n{summary}");
            Assert.True(check.Violations.Count == 0 && check.Pending.Count == 0, summary);
            passed = true;
        }
        finally
        {
            if (!passed && !logs.StartsWith(work, StringComparison.Ordinal)) output.WriteLine("logs kept in " + logs);
            else if (!passed)
            {
                var keep = Path.Combine(Path.GetTempPath(), $"tipbot-embedded-kills-failed-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
                Directory.CreateDirectory(keep);
                foreach (var file in Directory.EnumerateFiles(logs)) File.Copy(file, Path.Combine(keep, Path.GetFileName(file)));
                output.WriteLine("logs kept in " + keep);
            }
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    private sealed record Tip(Guid Id, string Code, string ReporterKey, string Status);

    private sealed record Assignment(Guid Id, Guid TipId, string Status, DateTime? SentAt);

    /// <summary>The embedded store's rows this test compares with what the Telegram double delivered.</summary>
    private sealed record SqliteRows(IReadOnlyList<Tip> Tips, IReadOnlyList<Assignment> Assignments, int OutboxUnsent)
    {
        public static async Task<SqliteRows> ReadAsync(string database)
        {
            await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var snapshot = await connection.BeginTransactionAsync(); // one moment for all three reads
            var tips = await Records.QueryAsync(connection, """SELECT "Id","Code","ReporterKey","Status" FROM tips""",
                r => new Tip(Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3)), snapshot);
            var assignments = await Records.QueryAsync(connection, """SELECT "Id","TipId","Status","AlertSentAt" FROM assignments""",
                r => new Assignment(Guid.Parse(r.GetString(0)), Guid.Parse(r.GetString(1)), r.GetString(2), Time(r, 3)), snapshot);
            var unsent = await Records.QueryAsync(connection, """SELECT COUNT(*) FROM outbox WHERE "SentAt" IS NULL""", r => r.GetInt32(0), snapshot);
            return new SqliteRows(tips, assignments, unsent[0]);
        }

        private static DateTime? Time(DbDataReader r, int i) =>
            r.IsDBNull(i) ? null : DateTime.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    /// <summary>What the rows and the delivered messages say together: broken promises, and what has yet to happen.</summary>
    private sealed class Check
    {
        public List<string> Violations { get; } = [];
        public List<string> Pending { get; } = [];
        public int Tips, CodesGiven, CodeNeverSeen, Uninterrupted, AlertMessages, SendWindowDoubles;

        public static Check Of(SqliteRows records, IReadOnlyList<AcceptedMessage> messages, IReadOnlyList<Resident> residents, IReadOnlyList<ServerGeneration> generations)
        {
            var check = new Check { Tips = records.Tips.Count };
            var chatByKey = residents.ToDictionary(r => Reconciliation.ChatKey("telegram", r.ChatId.ToString(CultureInfo.InvariantCulture)), r => r.ChatId);
            var residentChats = residents.Select(r => r.ChatId).ToHashSet();
            var tipsByCode = records.Tips.ToLookup(t => t.Code);

            // Every code given is one tip, of the resident it was given to.
            var given = messages.Where(m => residentChats.Contains(m.ChatId))
                .SelectMany(m => Reconciliation.CodePattern().Matches(m.Text).Select(c => (m.ChatId, Code: c.Value))).Distinct().ToList();
            check.CodesGiven = given.Select(g => g.Code).Distinct().Count();
            foreach (var (chat, code) in given)
            {
                var rows = tipsByCode[code].ToList();
                if (rows.Count != 1) check.Violations.Add($"resident {chat} was given {code}, which is in the records {rows.Count} times");
                else if (chatByKey.GetValueOrDefault(rows[0].ReporterKey) != chat) check.Violations.Add($"resident {chat} was given {code}, another chat's tip");
            }
            foreach (var group in records.Tips.GroupBy(t => chatByKey.GetValueOrDefault(t.ReporterKey)))
            {
                if (group.Key == 0) check.Violations.Add($"tips {string.Join(", ", group.Select(t => t.Code))} belong to no resident");
                else if (group.Count() > 1) check.Violations.Add($"resident {group.Key} has {group.Count()} tips: {string.Join(", ", group.Select(t => t.Code))}");
            }
            check.CodeNeverSeen = records.Tips.Count(t => !given.Any(g => g.Code == t.Code));

            // A resident whose conversation no kill interrupted has their tip, and (once sent) its code.
            var tipsByResident = records.Tips.ToLookup(t => chatByKey.GetValueOrDefault(t.ReporterKey));
            foreach (var resident in residents.Where(r => r.Completed && !generations.Any(g => g.KilledAt >= r.StartedAt && g.KilledAt <= r.SentAt)))
            {
                check.Uninterrupted++;
                if (!tipsByResident[resident.ChatId].Any()) check.Violations.Add($"resident {resident.ChatId} sent a tip with no kill meanwhile, and no tip is recorded");
                else if (!given.Any(g => g.ChatId == resident.ChatId)) check.Pending.Add($"resident {resident.ChatId}: code not delivered yet");
            }

            // Every tip reached an officer, once per assignment, and the alert is recorded as sent.
            var alerts = messages
                .SelectMany(m => m.Buttons.Where(b => b.Data.StartsWith("acc:", StringComparison.Ordinal)).Select(b => (Message: m, Assignment: Guid.ParseExact(b.Data[4..], "N"))))
                .ToList();
            check.AlertMessages = alerts.Count;
            var assignments = records.Assignments.ToDictionary(a => a.Id);
            foreach (var copies in alerts.GroupBy(a => a.Assignment))
            {
                if (!assignments.TryGetValue(copies.Key, out var assignment))
                {
                    check.Violations.Add($"an alert for assignment {copies.Key:N}, which is not in the records");
                    continue;
                }
                var ordered = copies.Select(c => c.Message).OrderBy(m => m.Seq).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    if (KilledInsideSend(ordered[i - 1], generations)) check.SendWindowDoubles++;
                    else check.Violations.Add($"alert {assignment.Id:N} reached the officer twice, and its first sender was not killed while sending it");
                }
                if (assignment.SentAt is null && assignment.Status == "alerted") check.Pending.Add($"alert {assignment.Id:N} delivered, not recorded as sent yet");
            }
            var alerted = alerts.Select(a => a.Assignment).ToHashSet();
            foreach (var tip in records.Tips.Where(t => !records.Assignments.Any(a => a.TipId == t.Id && alerted.Contains(a.Id))))
                check.Pending.Add($"tip {tip.Code} ({tip.Status}) not alerted yet");
            if (records.OutboxUnsent > 0) check.Pending.Add($"{records.OutboxUnsent} outbox messages not sent yet");
            return check;
        }

        /// <summary>The first copy's sender was SIGKILLed between the double taking it and just after the answer.</summary>
        private static bool KilledInsideSend(AcceptedMessage first, IReadOnlyList<ServerGeneration> generations) =>
            generations.FirstOrDefault(g => g.Tag == first.Sender) is { KilledAt: { } killed }
            && killed >= first.AcceptedAt - TimeSpan.FromMilliseconds(100)
            && killed <= (first.AnsweredAt ?? first.AbortedAt ?? first.AcceptedAt) + Reconciliation.SendWindowSlack;
    }
}
