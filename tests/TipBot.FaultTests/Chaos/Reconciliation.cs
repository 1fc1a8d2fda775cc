using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TipBot.FaultTests.Infrastructure;
using TipBot.FaultTests.Load;

namespace TipBot.FaultTests.Chaos;

/// <summary>A message that reached a chat more than once.</summary>
public sealed record DoubleMessage(string Kind, long Chat, string Text, int Copies, bool KillWindow, string Explanation);

/// <summary>
/// Compares what the residents did, what the Telegram double delivered, and what the records,
/// Redis and Hangfire say. Used while draining (what is still unsettled) and at the end (the report).
/// </summary>
public sealed partial class Reconciliation
{
    [GeneratedRegex(@"TB-[0-9A-Z]{6}")]
    public static partial Regex CodePattern();

    /// <summary>
    /// A message is a double of the send window if its sender was SIGKILLed between the platform
    /// taking it and just after the answer, before it could record the send. Recording it takes
    /// milliseconds on a quiet machine; on an overloaded one (load 14 on 2 cores) we saw 2 s.
    /// </summary>
    public static readonly TimeSpan SendWindowSlack = TimeSpan.FromSeconds(3);

    /// <summary>The server's Telegram HTTP timeout (TipBotServiceExtensions): a send unanswered that long is given up and retried.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Our kill timestamp is taken just before the signal, so a message may be taken a moment after it.</summary>
    private static readonly TimeSpan KillSignalDelay = TimeSpan.FromMilliseconds(100);

    // Inputs, for the report.
    public required FaultRun Run { get; init; }
    public required Records Records { get; init; }

    // Conversations and tips.
    public int Residents, Completed, GaveUp, PartlyDone, CodesReceived, Tips, Accepted;
    public List<string> CodeViolations { get; } = [];
    public List<string> DuplicateTips { get; } = [];
    public List<string> LostTips { get; } = [];
    public List<string> Unacknowledged { get; } = [];
    public List<string> TranscriptAnomalies { get; } = [];
    /// <summary>Replies only missing, while as many outbox rows are held by a killed process's claim: they go out when the claim expires.</summary>
    public List<string> MissingBehindClaims { get; } = [];

    // Officers.
    public int AlertMessages, AlertedTips, EscalatedTips, Presses, PressesDone;
    public List<string> NotAlerted { get; } = [];
    public List<string> AlertBehindStaleClaim { get; } = [];
    public List<string> PhantomAlerts { get; } = [];
    public List<string> AlertNotRecorded { get; } = [];
    public List<string> Notices { get; } = [];
    public List<string> Inconsistencies { get; } = [];

    // Doubles.
    public List<DoubleMessage> Doubles { get; } = [];

    // Queue and pending work.
    public List<string> OrphanedJobs { get; } = [];
    public List<string> FailedJobs { get; } = [];
    public int RetryingJobs, ProcessingOnLive;
    public List<string> OutboxUnsent { get; } = [];

    // Servers.
    public List<string> UnexplainedExits { get; } = [];
    public List<double> RecoverySeconds { get; } = [];

    // Webhook.
    public Dictionary<string, int> Outcomes { get; } = [];
    public List<string> ErrorsOutsideFaults { get; } = [];

    /// <summary>What still has to happen; entries starting "claim:" wait only for a claim that a killed process held.</summary>
    public List<string> Unsettled { get; } = [];

    public static Reconciliation Of(FaultRun run, Records records)
    {
        var r = new Reconciliation { Run = run, Records = records };
        r.Compute();
        return r;
    }

    private IReadOnlyList<ServerGeneration> Generations => Run.Nodes.SelectMany(n => n.Generations).ToList();

    /// <summary>A claim taken shortly before one of our kills is held by a process that is gone.</summary>
    private bool ClaimOfKilledProcess(DateTime claimedAt) =>
        Generations.Any(g => g.KilledAt is { } k && k >= claimedAt.AddSeconds(-1) && k <= claimedAt.AddSeconds(70));

    private (bool KillWindow, string Explanation) Explain(AcceptedMessage earlier)
    {
        var sender = Generations.FirstOrDefault(g => g.Tag == earlier.Sender);
        var killed = sender?.KilledAt;
        var what = $"copy #{earlier.Seq} from {earlier.Sender}, taken by the double at {earlier.AcceptedAt:HH:mm:ss.fff}";
        // The sender hung up before the answer: because it was killed (then it hung up when it died), or because it stopped waiting.
        if (earlier.AbortedAt is { } aborted)
        {
            if (killed is { } k && k >= earlier.AcceptedAt - KillSignalDelay && (aborted - k).Duration() <= SendWindowSlack)
                return (true, $"{what}: {earlier.Sender} was SIGKILLed {(k - earlier.AcceptedAt).TotalMilliseconds:0} ms later, before the answer");
            // Alive, it waited its whole HTTP timeout: the platform took the message but never answered, so the
            // sender cannot know it was delivered and must send again — the send itself is the window.
            // The sender's own log says how long it waited; the double's times are late by the connect and by noticing the close.
            if (TimedOutAttempt(earlier, aborted) is { } attempt)
                return (true, $"{what}: the double took it but did not answer; {earlier.Sender} gave up after its {ClientTimeout.TotalSeconds:0} s timeout (its log: {attempt.Waited.TotalSeconds:0.0} s from {attempt.Start:HH:mm:ss.fff}) and sent again");
            if (aborted - earlier.AcceptedAt >= ClientTimeout - KillSignalDelay)
                return (true, $"{what}: the double took it but did not answer; {earlier.Sender} gave up after its {ClientTimeout.TotalSeconds:0} s timeout ({(aborted - earlier.AcceptedAt).TotalSeconds:0.0} s) and sent again");
            return (false, $"{what}: {earlier.Sender} hung up {(aborted - earlier.AcceptedAt).TotalSeconds:0.0} s later without waiting for the answer, alive (its send was cancelled){(killed is { } k2 ? $"; it was killed only at {k2:HH:mm:ss.fff}" : "")}");
        }
        if (earlier.AnsweredAt is { } answered && killed is { } kill && kill >= earlier.AcceptedAt - KillSignalDelay && kill <= answered + SendWindowSlack)
            return (true, $"{what}, answered at {answered:HH:mm:ss.fff}: {earlier.Sender} was SIGKILLed {(kill - answered).TotalMilliseconds:0} ms after the answer, before it recorded the send");
        return (false, $"{what}, answered at {earlier.AnsweredAt:HH:mm:ss.fff}; {earlier.Sender} {(killed is { } k3 ? $"was killed only at {k3:HH:mm:ss.fff}" : "was not killed")}: the send was repeated although it had succeeded");
    }

    private readonly Dictionary<string, IReadOnlyList<FailedAttempt>> _failedAttempts = [];
    private readonly HashSet<FailedAttempt> _attemptsExplaining = [];

    /// <summary>
    /// The sender's logged attempt that waited its whole HTTP timeout for this message: it started
    /// before the double took the message and ended when the double saw the connection close (which
    /// a loaded machine notices up to a few seconds late). Each logged attempt explains one message.
    /// </summary>
    private FailedAttempt? TimedOutAttempt(AcceptedMessage message, DateTime aborted)
    {
        if (Generations.FirstOrDefault(g => g.Tag == message.Sender) is not { } sender) return null;
        if (!_failedAttempts.TryGetValue(sender.Tag, out var attempts))
            _failedAttempts[sender.Tag] = attempts = SendAttempts.Read(sender.Tag, sender.LogFile, sender.StartedAt);
        var found = attempts
            .Where(a => a.Waited >= ClientTimeout - KillSignalDelay && !_attemptsExplaining.Contains(a))
            .Where(a => a.Start <= message.AcceptedAt + TimeSpan.FromMilliseconds(100) && a.End >= message.AcceptedAt)
            .Where(a => aborted >= a.End - TimeSpan.FromMilliseconds(200) && aborted <= a.End + SendWindowSlack)
            .MinBy(a => (aborted - a.End).Duration());
        if (found is not null) _attemptsExplaining.Add(found);
        return found;
    }

    /// <summary>The server's PersonalData.ChatKey, with the run's hash key.</summary>
    public static string ChatKey(string channel, string chatId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(FaultRun.HashKey), Encoding.UTF8.GetBytes($"chat\n{channel}\n{chatId}")).AsSpan(0, 16));

    // Each tip has its own code and PIN: transcripts are compared without them.
    private static string Normalize(string text) => PinPattern().Replace(CodePattern().Replace(text, "TB-******"), "******");

    [GeneratedRegex(@"(?<![0-9])[0-9]{6}(?![0-9])")]
    private static partial Regex PinPattern();

    private void Compute()
    {
        var messages = Run.Telegram.Accepted;
        var residents = Run.Residents.ToList();
        var residentChats = residents.ToDictionary(x => x.ChatId);
        var officerChats = TestDirectory.OfficerChats.ToHashSet();
        var tipsByCode = Records.Tips.GroupBy(t => t.Code).ToDictionary(g => g.Key, g => g.ToList());
        var assignments = Records.Assignments.ToDictionary(a => a.Id);
        var assignmentsByTip = Records.Assignments.GroupBy(a => a.TipId).ToDictionary(g => g.Key, g => g.ToList());

        Residents = residents.Count;
        Completed = residents.Count(x => x.Completed);
        GaveUp = residents.Count(x => x.GaveUp);
        PartlyDone = residents.Count(x => !x.Completed && !x.GaveUp);
        Tips = Records.Tips.Count;
        Accepted = Records.Tips.Count(t => t.AcceptedAt is not null);

        // 1. Every code a resident received exists exactly once, and is theirs.
        var received = messages.Where(m => residentChats.ContainsKey(m.ChatId))
            .SelectMany(m => CodePattern().Matches(m.Text).Select(c => (m.ChatId, Code: c.Value))).Distinct().ToList();
        // Reporter chat ids are stored encrypted; the tip also carries the keyed hash of its chat, which we can recompute.
        var chatByKey = residents.ToDictionary(x => ChatKey("telegram", x.ChatId.ToString(CultureInfo.InvariantCulture)), x => x.ChatId);
        var owner = Records.Tips.ToDictionary(t => t.Id, t => chatByKey.GetValueOrDefault(t.ReporterKey));
        var tipsByReporter = Records.Tips.Where(t => owner[t.Id] != 0).GroupBy(t => owner[t.Id]).ToDictionary(g => g.Key, g => g.ToList());
        CodesReceived = received.Select(x => x.Code).Distinct().Count();
        foreach (var (chat, code) in received)
        {
            if (!tipsByCode.TryGetValue(code, out var rows)) CodeViolations.Add($"resident {chat} was given {code}, which is not in the database");
            else if (rows.Count > 1) CodeViolations.Add($"{code} is in the database {rows.Count} times");
            else if (owner[rows[0].Id] != chat) CodeViolations.Add($"resident {chat} was given {code}, which is the tip of {owner[rows[0].Id]}");
        }

        // 2. One tip per resident: none lost, none doubled, each acknowledged with its code.
        foreach (var resident in residents)
        {
            var tips = tipsByReporter.GetValueOrDefault(resident.ChatId) ?? [];
            if (tips.Count > 1) DuplicateTips.Add($"resident {resident.ChatId} has {tips.Count} tips: {string.Join(", ", tips.Select(t => t.Code))}");
            if (resident.Completed && tips.Count == 0)
            {
                LostTips.Add($"resident {resident.ChatId} sent the tip (200 for confirm:send) but no tip is recorded");
                Unsettled.Add($"resident {resident.ChatId}: no tip recorded yet");
            }
            foreach (var tip in tips.Where(t => !received.Contains((resident.ChatId, t.Code))))
            {
                Unacknowledged.Add($"tip {tip.Code} of resident {resident.ChatId}: the resident never got its code");
                Unsettled.Add($"resident {resident.ChatId}: code {tip.Code} not delivered yet");
            }
        }
        foreach (var tip in Records.Tips.Where(t => owner[t.Id] == 0))
            CodeViolations.Add($"tip {tip.Code} belongs to a chat that is not one of the residents");

        // 3. Every tip reached an officer exactly once per assignment (escalation makes a new assignment).
        var alerts = messages.Where(m => officerChats.Contains(m.ChatId))
            .SelectMany(m => m.Buttons.Where(b => b.Data.StartsWith("acc:", StringComparison.Ordinal)).Select(b => (Message: m, Assignment: Guid.ParseExact(b.Data[4..], "N"))))
            .ToList();
        AlertMessages = alerts.Count;
        foreach (var group in alerts.GroupBy(a => a.Assignment))
        {
            if (!assignments.TryGetValue(group.Key, out var assignment))
            {
                PhantomAlerts.Add($"alert for assignment {group.Key:N} reached {group.First().Message.ChatId}, but the assignment is not in the database");
                continue;
            }
            var copies = group.OrderBy(a => a.Message.Seq).Select(a => a.Message).ToList();
            for (var i = 1; i < copies.Count; i++)
            {
                var (killWindow, why) = Explain(copies[i - 1]);
                Doubles.Add(new DoubleMessage("alert", copies[i].ChatId, $"alert {assignment.Id:N} ({Records.Tips.FirstOrDefault(t => t.Id == assignment.TipId)?.Code})", 2, killWindow, why));
            }
            if (assignment.SentAt is null)
            {
                var line = $"alert for assignment {assignment.Id:N} reached the officer but is not recorded as sent (claimed {assignment.ClaimedAt:HH:mm:ss.fff}; the assignment is '{assignment.Status}')";
                AlertNotRecorded.Add(line);
                // Only an alert still waiting for its officer is sent again; one the officer already accepted stays as it is.
                if (assignment.Status == "alerted")
                    Unsettled.Add(assignment.ClaimedAt is { } c && ClaimOfKilledProcess(c) ? "claim: " + line : line);
            }
        }
        var alerted = alerts.Select(a => a.Assignment).ToHashSet();
        foreach (var tip in Records.Tips)
        {
            var rows = assignmentsByTip.GetValueOrDefault(tip.Id) ?? [];
            if (rows.Count > 1 || rows.Any(a => a.Status == "moved")) EscalatedTips++;
            if (rows.Any(a => alerted.Contains(a.Id))) { AlertedTips++; continue; }
            var claimed = rows.FirstOrDefault(a => a.ClaimedAt is not null && a.SentAt is null);
            if (claimed is not null && ClaimOfKilledProcess(claimed.ClaimedAt!.Value))
            {
                var line = $"tip {tip.Code}: alert claimed at {claimed.ClaimedAt:HH:mm:ss.fff} by a process killed right after; re-sent once the claim is older than a minute";
                AlertBehindStaleClaim.Add(line);
                Unsettled.Add("claim: " + line);
            }
            else
            {
                NotAlerted.Add($"tip {tip.Code} ({tip.Status}): no alert reached an officer; assignments: {(rows.Count == 0 ? "none" : string.Join(", ", rows.Select(a => $"step {a.Step} {a.Status} claimed {a.ClaimedAt:HH:mm:ss} sent {a.SentAt:HH:mm:ss}")))}");
                Unsettled.Add($"tip {tip.Code}: not alerted yet");
            }
        }

        // 4. The officers' accepts: applied once, and both sides told once.
        var presses = Run.Officers?.Presses ?? new Dictionary<string, Task<bool>>();
        Presses = presses.Count;
        PressesDone = presses.Values.Count(t => t.IsCompletedSuccessfully && t.Result);
        if (presses.Values.Any(t => !t.IsCompleted)) Unsettled.Add($"{presses.Values.Count(t => !t.IsCompleted)} officer presses still being delivered");
        foreach (var (id, press) in presses)
        {
            if (!press.IsCompletedSuccessfully || !press.Result) continue;
            if (!assignments.TryGetValue(Guid.ParseExact(id, "N"), out var assignment)) continue;
            var tip = Records.Tips.First(t => t.Id == assignment.TipId);
            if (tip.AcceptedAt is null)
            {
                Notices.Add($"tip {tip.Code}: the officer's accept got its 200 but the tip is not accepted (status '{tip.Status}'){(messages.Any(m => m.Text.Contains($"Tin báo {tip.Code} đã được cán bộ khác tiếp nhận")) ? "; the officer was told another officer had accepted it" : "")}");
                Unsettled.Add($"tip {tip.Code}: accept not applied yet");
                continue;
            }
            var chat = owner[tip.Id];
            if (!messages.Any(m => m.ChatId == chat && m.Text.Contains(tip.Code) && m.Text.Contains("đã được Công an")))
                Unsettled.Add(Pending($"tip {tip.Code}: resident not told it was accepted yet", $"accepted-reporter:{tip.Id:N}"));
            var officer = alerts.FirstOrDefault(a => a.Assignment == assignment.Id).Message?.ChatId;
            if (officer is not null && !messages.Any(m => m.ChatId == officer && m.Text.Contains($"Bạn đã tiếp nhận tin báo {tip.Code}")))
                Unsettled.Add(Pending($"tip {tip.Code}: officer not told they accepted it yet", $"accepted-officer:{assignment.Id:N}"));
            if (assignment.Status != "accepted" || assignment.AcceptedAt is null)
                Inconsistencies.Add($"tip {tip.Code} is accepted by {tip.AcceptedBy} but its assignment {assignment.Id:N} says '{assignment.Status}' (accepted at {assignment.AcceptedAt?.ToString("HH:mm:ss") ?? "never"})");
        }
        foreach (var tip in Records.Tips.Where(t => assignmentsByTip.ContainsKey(t.Id)))
        {
            if (tip.Status == "received")
                Inconsistencies.Add($"tip {tip.Code} has an assignment but its status is still 'received' (an officer's accept of it is refused; the sweep re-routes it every minute)");
            if (tip.AssignedUnitCode is null)
                Inconsistencies.Add($"tip {tip.Code} has an assignment but no assigned unit");
        }
        foreach (var group in Records.Events.GroupBy(e => (e.TipId, e.Kind, e.Detail)).Where(g => g.Count() > 1))
            Inconsistencies.Add($"tip event '{group.Key.Kind}' ({group.Key.Detail}) recorded {group.Count()} times for tip {Records.Tips.FirstOrDefault(t => t.Id == group.Key.TipId)?.Code}");

        // 5. No chat got one reply twice (alerts are counted above).
        foreach (var group in messages.Where(m => !m.Buttons.Any(b => b.Data.StartsWith("acc:", StringComparison.Ordinal)))
                     .GroupBy(m => (m.ChatId, m.Text)).Where(g => g.Count() > 1))
        {
            var copies = group.OrderBy(m => m.Seq).ToList();
            var kind = officerChats.Contains(group.Key.ChatId) ? "officer message" : "resident reply";
            for (var i = 1; i < copies.Count; i++)
            {
                var (killWindow, why) = Explain(copies[i - 1]);
                Doubles.Add(new DoubleMessage(kind, group.Key.ChatId, Shorten(group.Key.Text), 2, killWindow, why));
            }
        }

        // 6. Each resident's conversation reads like the others of the same script (nothing missing, nothing extra).
        var missingOnly = new List<string>();
        var transcripts = residents.Where(x => x.Completed).ToDictionary(x => x,
            x => messages.Where(m => m.ChatId == x.ChatId).Select(m => Normalize(m.Text)).Distinct().Order().ToList());
        foreach (var group in transcripts.GroupBy(t => (t.Key.Script.First, Accepted: t.Value.Any(s => s.Contains("đã được Công an")))))
        {
            var usual = group.GroupBy(t => string.Join("\u0001", t.Value)).OrderByDescending(g => g.Count()).First().First().Value;
            foreach (var (resident, transcript) in group.Where(t => !t.Value.SequenceEqual(usual)))
            {
                var missing = usual.Except(transcript).Select(Shorten).ToList();
                var extra = transcript.Except(usual).Select(Shorten).ToList();
                var line = $"resident {resident.ChatId}: missing [{string.Join(" | ", missing)}] extra [{string.Join(" | ", extra)}]";
                if (extra.Count == 0) missingOnly.Add(line);
                else TranscriptAnomalies.Add(line);
            }
        }
        var heldReplies = Records.Outbox.Count(o => o.SentAt is null && o.ClaimedAt is not null && o.Key.StartsWith("reply:", StringComparison.Ordinal));
        if (missingOnly.Count <= heldReplies) MissingBehindClaims.AddRange(missingOnly);
        else TranscriptAnomalies.AddRange(missingOnly);
        foreach (var resident in residents.Where(x => !x.Completed))
            TranscriptAnomalies.Add($"resident {resident.ChatId}: conversation not finished ({resident.StepsDelivered} of {resident.Steps} updates got their 200{(resident.GaveUp ? ", gave up" : "")})");

        // 7. Pending work: outbox, turns, the queue.
        foreach (var row in Records.Outbox.Where(o => o.SentAt is null))
        {
            var line = $"outbox {row.Key} to {row.ChatId} unsent ({row.Attempts} attempts, claimed {row.ClaimedAt:HH:mm:ss.fff})";
            OutboxUnsent.Add(line);
            Unsettled.Add(row.ClaimedAt is { } c && ClaimOfKilledProcess(c) ? "claim: " + line : line);
        }
        if (Records.PendingTurns > 0) Unsettled.Add($"{Records.PendingTurns} turns with pending effects in Redis ({Records.PendingTurnsLeased} under a lease)");

        var hangfire = Records.Hangfire;
        var livePids = Run.Nodes.SelectMany(n => n.Generations).Where(g => g.ExitedAt is null).Select(g => g.Pid).ToHashSet();
        foreach (var job in hangfire.ProcessingJobs)
        {
            var pid = job.ServerId?.Split(':') is { Length: >= 2 } parts && int.TryParse(parts[1], out var p) ? p : -1;
            if (livePids.Contains(pid)) ProcessingOnLive++;
            else OrphanedJobs.Add($"{job.Method} #{job.Id} shown as processing on {job.ServerId}, a process that was killed");
        }
        if (ProcessingOnLive > 0) Unsettled.Add($"hangfire: {ProcessingOnLive} jobs processing");
        if (hangfire.Enqueued > 0) Unsettled.Add($"hangfire: {hangfire.Enqueued} jobs enqueued");
        FailedJobs.AddRange(hangfire.FailedJobs.Select(j => $"{j.Method} #{j.Id}: {j.Reason}"));
        // Escalations are timed by their assignments (EscalationClock): a scheduled job is a retry.
        RetryingJobs = hangfire.ScheduledJobs.Count;
        if (RetryingJobs > 0) Unsettled.Add($"hangfire: {RetryingJobs} jobs waiting to retry");

        // 8. Servers: a process ends only when killed, or while Redis or PostgreSQL is down; a killed node is back soon.
        var windows = Run.Windows.ToList();
        foreach (var node in Run.Nodes)
        {
            var gens = node.Generations.ToList();
            for (var i = 0; i < gens.Count; i++)
            {
                var g = gens[i];
                if (g.ExitedAt is not { } exited) continue;
                var back = gens.Skip(i + 1).FirstOrDefault(n => n.ReadyAt is not null)?.ReadyAt;
                var explained = g.KilledAt is not null || windows.Any(w => w.Node is null && !w.What.StartsWith("telegram", StringComparison.Ordinal) && w.Covers(exited, exited, null));
                if (explained)
                    windows.Add(new FaultWindow(g.KilledAt ?? exited, (back ?? DateTime.MaxValue.AddDays(-1)).AddSeconds(2), $"{g.Tag} down", node.Name));
                else
                    UnexplainedExits.Add($"{g.Tag} (pid {g.Pid}) ended by itself with code {g.ExitCode} {(exited - g.StartedAt).TotalSeconds:0.0} s after it started, while Redis and PostgreSQL were up{(g.ReadyAt is null ? ", before it was ready" : "")}: {LastError(g.LogFile)}");
                if (g.KilledAt is { } killed && back is { } ready) RecoverySeconds.Add((ready - killed).TotalSeconds);
            }
        }

        // 9. Webhook answers: failures are expected inside fault windows only.
        foreach (var attempt in Run.Webhook?.Attempts ?? [])
        {
            Outcomes[attempt.Outcome] = Outcomes.GetValueOrDefault(attempt.Outcome) + 1;
            if (attempt.Outcome == "200") continue;
            if (windows.Any(w => w.Covers(attempt.At, attempt.At.AddSeconds(attempt.Seconds), attempt.Node))) continue;
            ErrorsOutsideFaults.Add($"{attempt.At:HH:mm:ss.fff} node {attempt.Node}: {attempt.Outcome} after {attempt.Seconds:0.0} s");
        }
    }

    private static string LastError(string logFile)
    {
        try
        {
            var lines = File.ReadAllLines(logFile);
            var line = lines.FirstOrDefault(l => l.Contains("Unhandled exception", StringComparison.Ordinal)) ?? lines.LastOrDefault(l => l.Contains("fail:", StringComparison.Ordinal)) ?? "(no error in its log)";
            line = line.Replace("stderr: ", "", StringComparison.Ordinal);
            return line.Length > 300 ? line[..300] + "…" : line;
        }
        catch (IOException)
        {
            return "(log unreadable)";
        }
    }

    private string Pending(string line, string outboxKey)
    {
        var row = Records.Outbox.FirstOrDefault(o => o.Key == outboxKey);
        if (row is null) return line + " (no outbox row)";
        return row.SentAt is null && row.ClaimedAt is { } c && ClaimOfKilledProcess(c) ? "claim: " + line : line;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 70 ? line : line[..70] + "…";
    }
}
