using Microsoft.EntityFrameworkCore;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Records a submitted tip under its submission id, with its first assignment when an officer can
/// be chosen (<see cref="FirstAssignment"/>). The row exists before the resident is told the code;
/// a replay of the same submission finds it and changes nothing.
/// </summary>
public sealed class SubmitTipHandler(TipBotDbContext db, PersonalData personal, FirstAssignment assignments, SubmissionWriter together, TipRouter router, TipBotMetrics metrics, TimeProvider clock, ILogger<SubmitTipHandler> log)
{
    // A replay, a taken code, or a concurrent writer of either, each met once; more is a fault.
    private const int MaxAttempts = 4;

    // Compiled once: it runs after every unique-key conflict (see RoutingSituationLoader). Two
    // look-ups by unique key rather than one "submission OR code": PostgreSQL planned the OR,
    // prepared while the table was nearly empty, as a scan of every tip and kept that plan
    // (docs/benchmarks.md, sixth session).
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
    /// <remarks>
    /// The insert comes first and the records are read only when it meets a unique key: nearly
    /// every submission is new and its code free, so the "Gửi" turn saves a round trip (and 1.5 %
    /// of the server's CPU under load, docs/benchmarks.md). Replays come from a turn finished
    /// again after a crash, and codes collide about once in a billion pairs.
    /// </remarks>
    public async Task<string> HandleAsync(SubmitTip command, CancellationToken ct)
    {
        var code = command.Code;
        for (var attempt = 1; ; attempt++)
        {
            var tip = NewTip(command, code);
            List<object> rows = [tip, new TipEventRecord { TipId = tip.Id, Kind = "received", At = tip.ReceivedAt }];
            var routed = router.HasRoom ? await TryRouteAsync(tip, rows, ct) : null;
            try
            {
                await SaveAsync(rows, ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear();
                var found = new List<RecordedTip>();
                await foreach (var recorded in SameSubmissionOrCode.For(db)(db, command.SubmissionId, code).WithCancellation(ct)) found.Add(recorded);
                if (found.FirstOrDefault(t => t.SubmissionId == command.SubmissionId) is { } existing)
                {
                    if (existing.Status == TipStatus.Received) router.Submit(existing.Id);
                    return existing.Code;
                }
                if (found.Count > 0) code = TipCode.New(code[..code.IndexOf('-')]);
                continue; // neither found: the row that was in the way is gone, try again as it stands
            }
            log.LogInformation("Tip {TipId} received ({Category}, urgent: {Urgent})", tip.Id, tip.Category, tip.Urgent);
            metrics.TipsReceived.Add(1, new KeyValuePair<string, object?>("category", tip.Category));
            if (routed is not null) assignments.Recorded(routed);
            router.Submit(tip.Id, tip, routed);
            return code;
        }
    }

    // SQLite's one writer flushes at every commit: tips that meet there share one (SubmissionWriter),
    // whose context takes the rows; a unique key met comes back as from our own save.
    private Task SaveAsync(List<object> rows, CancellationToken ct) =>
        db is SqliteTipBotDbContext ? together.WriteAsync(changes => changes.Insert(rows)) : db.InsertInOneBatchAsync(rows, ct);

    // Routing never keeps a tip from being recorded: a tip written alone is routed by the router,
    // and failing that by Hangfire, as before.
    private async Task<RoutedTip?> TryRouteAsync(TipRecord tip, List<object> rows, CancellationToken ct)
    {
        try
        {
            return await assignments.AddAsync(tip, rows, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing was added: FirstAssignment reads before it adds.
            log.LogWarning("Routing tip {TipId} with its submission failed ({Error}: {Message}); it is written alone and routed after", tip.Id, e.GetType().Name, e.GetBaseException().Message);
            return null;
        }
    }

    private TipRecord NewTip(SubmitTip command, string code) => new()
    {
        Id = RecordIds.New(),
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
        ReceivedAt = clock.GetUtcNow().UtcDateTime,
    };
}
