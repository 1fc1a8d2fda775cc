using System.Text;

namespace TipBot.FaultTests.Chaos;

/// <summary>The run's counts and findings as text, and the list of broken promises (empty: the run passed).</summary>
public static class Report
{
    public static List<string> Failures(FaultProfile profile, FaultRun run, Reconciliation r)
    {
        var failures = new List<string>();
        void Check(string what, IReadOnlyCollection<string> items)
        {
            if (items.Count > 0) failures.Add($"{what}: {items.Count}\n    " + string.Join("\n    ", items.Take(20)));
        }
        Check("tip codes given to residents that are not exactly one tip of theirs in the database", r.CodeViolations);
        Check("residents with more than one tip (a tip doubled)", r.DuplicateTips);
        Check("tips lost (the resident's confirm got its 200, no tip recorded)", r.LostTips);
        Check("tips whose code never reached the resident", r.Unacknowledged);
        Check("tips that reached no officer", r.NotAlerted);
        if (profile.WaitOutStaleClaims) Check("tips whose alert is still held by a killed process's claim", r.AlertBehindStaleClaim);
        Check("alerts for assignments the database does not have", r.PhantomAlerts);
        Check("doubles outside the send window (a kill during the send, or a send the platform took but never answered)",
            r.Doubles.Where(d => !d.KillWindow).Select(d => $"{d.Kind} to {d.Chat}: {d.Text} — {d.Explanation}").ToList());
        // (replies missing only because their outbox row is held by a killed process's claim are reported below)
        Check("conversations that did not go as scripted", r.TranscriptAnomalies);
        if (profile.WaitOutStaleClaims) Check("replies still held by a killed process's claim", r.MissingBehindClaims);
        Check("inconsistent records", r.Inconsistencies);
        Check("accepts not applied", r.Notices);
        Check("Hangfire jobs failed", r.FailedJobs);
        // A job shown as processing on a killed server is requeued by Hangfire after
        // Jobs:InvisibilityTimeout (5 min), and its work was redone by the sweep meanwhile: it counts
        // as retrying. It is reported (processing on killed servers), not failed.
        Check("still unsettled after the drain", r.Unsettled.Where(u => profile.WaitOutStaleClaims || !u.StartsWith("claim:", StringComparison.Ordinal)).ToList());
        Check("server processes that ended by themselves while Redis and PostgreSQL were up", r.UnexplainedExits);
        Check("webhook failures outside every fault window (a 500 or no answer while nothing was broken)", r.ErrorsOutsideFaults);
        return failures;
    }

    public static string Format(FaultProfile profile, FaultRun run, Reconciliation r, TimeSpan took, IReadOnlyList<string> failures)
    {
        var s = new StringBuilder();
        var generations = run.Nodes.SelectMany(n => n.Generations).ToList();
        var killWindow = r.Doubles.Where(d => d.KillWindow).ToList();
        s.AppendLine($"# Fault run '{profile.Name}' (seed {profile.Seed}) — {(failures.Count == 0 ? "PASSED" : $"FAILED ({failures.Count} broken promises)")}");
        s.AppendLine($"took {took.TotalSeconds:0} s (drain {run.DrainTook.TotalSeconds:0} s); machine: {Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9)} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        s.AppendLine();
        s.AppendLine("## Faults");
        s.AppendLine($"- SIGKILLs of a server: {run.FaultCounts.GetValueOrDefault("kill")} ({generations.Count} server processes started in all; {run.Nodes.Sum(n => n.SelfExits)} ended by themselves and were restarted)");
        s.AppendLine($"- Redis restarts: {run.FaultCounts.GetValueOrDefault("redis restart")}; PostgreSQL restarts: {run.FaultCounts.GetValueOrDefault("postgres restart")}");
        s.AppendLine($"- Telegram double: {string.Join(", ", run.FaultCounts.Where(f => f.Key.StartsWith("telegram", StringComparison.Ordinal)).Select(f => $"{f.Key[9..]} ×{f.Value}"))}; answers: {string.Join(", ", run.Telegram.FaultAnswers.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}"))}");
        if (r.RecoverySeconds.Count > 0)
            s.AppendLine($"- kill to serving again: median {r.RecoverySeconds.Order().ElementAt(r.RecoverySeconds.Count / 2):0.0} s, longest {r.RecoverySeconds.Max():0.0} s");
        s.AppendLine($"- two nodes: {(generations.Any(g => g.Tag.StartsWith('b')) ? "yes, updates to both, kills of either" : "no")}");
        s.AppendLine();
        s.AppendLine("## Load");
        s.AppendLine($"- residents: {r.Residents} ({r.Completed} completed their tip, {r.GaveUp} gave up, {r.PartlyDone} unfinished)");
        s.AppendLine($"- webhook deliveries: {string.Join(", ", r.Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} ×{o.Value}"))}; redeliveries {run.Webhook?.Redeliveries}");
        s.AppendLine($"- officer accepts pressed: {r.Presses} ({r.PressesDone} answered 200)");
        s.AppendLine($"- messages the double accepted: {run.Telegram.Accepted.Count}");
        s.AppendLine();
        s.AppendLine("## Reconciliation");
        s.AppendLine($"- tips in the database: {r.Tips}; tip codes residents received: {r.CodesReceived}; codes not exactly one tip of theirs: {r.CodeViolations.Count}");
        s.AppendLine($"- lost tips: {r.LostTips.Count}; doubled tips: {r.DuplicateTips.Count}; tips whose code never reached the resident: {r.Unacknowledged.Count}");
        s.AppendLine($"- tips that reached an officer: {r.AlertedTips} of {r.Tips} (escalated: {r.EscalatedTips}); alert messages: {r.AlertMessages}; not alerted: {r.NotAlerted.Count}; held by a killed process's claim: {r.AlertBehindStaleClaim.Count}");
        s.AppendLine($"- accepted tips: {r.Accepted}");
        s.AppendLine($"- doubles inside the send window of a kill: {killWindow.Count} (alerts {killWindow.Count(d => d.Kind == "alert")}, resident replies {killWindow.Count(d => d.Kind == "resident reply")}, officer messages {killWindow.Count(d => d.Kind == "officer message")}); other doubles: {r.Doubles.Count(d => !d.KillWindow)}");
        s.AppendLine($"- replies missing only because a killed process holds their outbox claim (sent when it expires): {r.MissingBehindClaims.Count}");
        s.AppendLine($"- Hangfire: succeeded {r.Records.Hangfire.Succeeded}, failed {r.Records.Hangfire.Failed}, retrying {r.RetryingJobs}, enqueued {r.Records.Hangfire.Enqueued}, processing on live servers {r.ProcessingOnLive}, processing on killed servers {r.OrphanedJobs.Count}");
        s.AppendLine($"- pending turns left in Redis: {r.Records.PendingTurns}; outbox rows unsent: {r.OutboxUnsent.Count}");
        s.AppendLine($"- webhook failures outside fault windows: {r.ErrorsOutsideFaults.Count}");
        if (killWindow.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Doubles inside a kill's send window (expected: no platform takes an idempotency key)");
            foreach (var d in killWindow) s.AppendLine($"- {d.Kind} to {d.Chat}: {d.Text} — {d.Explanation}");
        }
        if (r.AlertNotRecorded.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Alerts that went out but are not recorded as sent (a kill between the send and its record)");
            foreach (var a in r.AlertNotRecorded) s.AppendLine($"- {a}");
        }
        if (r.Unsettled.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Left pending at the end");
            foreach (var u in r.Unsettled.Take(40)) s.AppendLine($"- {u}");
        }
        if (failures.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Broken promises");
            foreach (var f in failures) s.AppendLine($"- {f}");
        }
        s.AppendLine();
        s.AppendLine("## Timeline");
        foreach (var e in run.Events.Events) s.AppendLine($"- {e.At:HH:mm:ss.fff} {e.Kind}: {e.Detail}");
        return s.ToString();
    }
}
