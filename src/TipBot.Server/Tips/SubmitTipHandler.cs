using Microsoft.EntityFrameworkCore;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Records a submitted tip under its submission id. The row exists before the resident is told
/// the code; a replay of the same submission finds it and changes nothing.
/// </summary>
public sealed class SubmitTipHandler(TipBotDbContext db, PersonalData personal, TipRouter router, TipBotMetrics metrics, TimeProvider clock, ILogger<SubmitTipHandler> log)
{
    // Compiled once: it runs for every tip (see RoutingSituationLoader). Two look-ups by unique key
    // rather than one "submission OR code": PostgreSQL planned the OR, prepared while the table was
    // nearly empty, as a scan of every tip and kept that plan (docs/benchmarks.md, sixth session).
    private static readonly PerModel<Func<TipBotDbContext, Guid, string, IAsyncEnumerable<RecordedTip>>> SameSubmissionOrCode = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, Guid submission, string code) => db.Tips.AsNoTracking().Where(t => t.SubmissionId == submission)
            .Select(t => new RecordedTip { Id = t.Id, SubmissionId = t.SubmissionId, Status = t.Status, Code = t.Code })
            .Concat(db.Tips.AsNoTracking().Where(t => t.Code == code)
                .Select(t => new RecordedTip { Id = t.Id, SubmissionId = t.SubmissionId, Status = t.Status, Code = t.Code }))));

    // Set by member initialisers, which EF can carry through a UNION (a constructor it cannot).
    private sealed record RecordedTip
    {
        public Guid Id { get; init; }
        public Guid SubmissionId { get; init; }
        public required string Status { get; init; }
        public required string Code { get; init; }
    }

    /// <summary>Records the tip and returns its code: the proposed one, unless another tip already had it.</summary>
    public async Task<string> HandleAsync(SubmitTip command, CancellationToken ct)
    {
        // One look for both: this submission recorded before (a replay), or its code taken by another tip.
        var code = command.Code;
        var found = new List<RecordedTip>();
        await foreach (var recorded in SameSubmissionOrCode.For(db)(db, command.SubmissionId, code).WithCancellation(ct)) found.Add(recorded);
        if (found.FirstOrDefault(t => t.SubmissionId == command.SubmissionId) is { } existing)
        {
            if (existing.Status == TipStatus.Received) router.Submit(existing.Id);
            return existing.Code;
        }
        if (found.Count > 0) code = TipCode.New(code[..code.IndexOf('-')]); // six random characters collide about once in a billion pairs

        var now = clock.GetUtcNow().UtcDateTime;
        var tip = new TipRecord
        {
            Id = Guid.NewGuid(),
            SubmissionId = command.SubmissionId,
            Code = code,
            Description = command.Description,
            Category = command.Category,
            CategoryConfidence = command.CategoryConfidence,
            Urgent = command.Urgent,
            UnitCode = command.UnitCode,
            PlaceText = command.PlaceText,
            TimeText = command.TimeText,
            Anonymous = command.Anonymous,
            ContactPhone = personal.ProtectOrNull(command.ContactPhone),
            EvidenceCount = command.EvidenceCount,
            ReporterChannel = command.Reporter.Channel,
            ReporterChatId = personal.Protect(command.Reporter.ChatId),
            ReporterKey = personal.ChatKey(command.Reporter.Channel, command.Reporter.ChatId),
            Culture = command.Culture,
            Status = TipStatus.Received,
            ReceivedAt = now,
        };
        db.Tips.Add(tip);
        db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "received", At = now });
        try
        {
            await db.SaveChangesInOneBatchAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another worker recorded it (or took the code) in the meantime: start over from the records.
            db.ChangeTracker.Clear();
            return await HandleAsync(command, ct);
        }
        log.LogInformation("Tip {TipId} received ({Category}, urgent: {Urgent})", tip.Id, tip.Category, tip.Urgent);
        metrics.TipsReceived.Add(1, new KeyValuePair<string, object?>("category", tip.Category));
        router.Submit(tip.Id, tip);
        return code;
    }
}
