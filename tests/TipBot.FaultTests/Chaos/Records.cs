using System.Data.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.Storage;
using Npgsql;
using StackExchange.Redis;

namespace TipBot.FaultTests.Chaos;

public sealed record TipRow(Guid Id, string Code, Guid SubmissionId, string ReporterKey, string Status, DateTime? AcceptedAt, string? AcceptedBy, string? AssignedUnitCode);

public sealed record AssignmentRow(Guid Id, Guid TipId, int Step, string OfficerId, string Status, DateTime CreatedAt, DateTime? ClaimedAt, DateTime? SentAt, DateTime? AcceptedAt);

public sealed record OutboxRow(Guid Id, string Key, string ChatId, string Text, DateTime CreatedAt, DateTime? ClaimedAt, DateTime? SentAt, int Attempts);

public sealed record TipEventRow(Guid TipId, string Kind, string? Detail);

public sealed record HangfireJob(string Id, string Method, string? ServerId, string? Reason);

public sealed record HangfireState(
    long Enqueued, long Scheduled, long Processing, long Succeeded, long Failed, long Deleted, long Servers,
    IReadOnlyList<HangfireJob> ProcessingJobs, IReadOnlyList<HangfireJob> FailedJobs, IReadOnlyList<HangfireJob> ScheduledJobs);

/// <summary>What the records database, Redis and Hangfire say at one moment.</summary>
public sealed record Records(
    IReadOnlyList<TipRow> Tips, IReadOnlyList<AssignmentRow> Assignments, IReadOnlyList<OutboxRow> Outbox, IReadOnlyList<TipEventRow> Events,
    int PendingTurns, int PendingTurnsLeased, HangfireState Hangfire)
{
    public static async Task<Records> ReadAsync(string database, IConnectionMultiplexer redis, string prefix)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var tips = await QueryAsync(connection, """SELECT "Id","Code","SubmissionId","ReporterKey","Status","AcceptedAt","AcceptedByOfficerId","AssignedUnitCode" FROM tips""",
            r => new TipRow(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetString(4), Nullable(r, 5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        var assignments = await QueryAsync(connection, """SELECT "Id","TipId","Step","OfficerId","Status","CreatedAt","AlertClaimedAt","AlertSentAt","AcceptedAt" FROM assignments""",
            r => new AssignmentRow(r.GetGuid(0), r.GetGuid(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetDateTime(5), Nullable(r, 6), Nullable(r, 7), Nullable(r, 8)));
        var outbox = await QueryAsync(connection, """SELECT "Id","Key","ChatId","Text","CreatedAt","ClaimedAt","SentAt","Attempts" FROM outbox""",
            r => new OutboxRow(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDateTime(4), Nullable(r, 5), Nullable(r, 6), r.GetInt32(7)));
        var events = await QueryAsync(connection, """SELECT "TipId","Kind","Detail" FROM tip_events""",
            r => new TipEventRow(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)));

        var db = redis.GetDatabase();
        var pending = await db.SortedSetRangeByRankAsync($"{prefix}:fx-pending");
        var leased = 0;
        foreach (var key in pending)
            if (await db.KeyExistsAsync($"{prefix}:fx-lease:{key}")) leased++;

        return new Records(tips, assignments, outbox, events, pending.Length, leased, ReadHangfire(redis, prefix));
    }

    private static DateTime? Nullable(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);

    /// <summary>Every row of <paramref name="sql"/>, mapped; for any ADO.NET provider (PostgreSQL here, SQLite in EmbeddedKillTests).</summary>
    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> map, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<T>();
        while (await reader.ReadAsync()) list.Add(map(reader));
        return list;
    }

    private static HangfireState ReadHangfire(IConnectionMultiplexer redis, string prefix)
    {
        // The server's storage: one hash tag for every Hangfire key (TipBotServiceExtensions).
        var storage = new RedisStorage(redis, new RedisStorageOptions { Prefix = $"{{{prefix}:hangfire}}:" });
        var monitoring = storage.GetMonitoringApi();
        var stats = monitoring.GetStatistics();
        // The job types live in TipBot.Server, which this process does not load: name them from the job's hash.
        var db = redis.GetDatabase();
        string Method(string id)
        {
            var fields = db.HashGet($"{{{prefix}:hangfire}}:job:{id}", ["Type", "Method"]);
            return fields[0].HasValue ? $"{((string)fields[0]!).Split(',')[0].Split('.')[^1]}.{fields[1]}" : "?";
        }
        var processing = monitoring.ProcessingJobs(0, 1000).Select(j => new HangfireJob(j.Key, Method(j.Key), j.Value.ServerId, null)).ToList();
        var failed = monitoring.FailedJobs(0, 1000).Select(j => new HangfireJob(j.Key, Method(j.Key), null, $"{j.Value.ExceptionType}: {j.Value.ExceptionMessage}")).ToList();
        var scheduled = monitoring.ScheduledJobs(0, 5000).Select(j => new HangfireJob(j.Key, Method(j.Key), null, null)).ToList();
        var enqueued = monitoring.Queues().Sum(q => q.Length);
        return new HangfireState(enqueued, stats.Scheduled, stats.Processing, stats.Succeeded, stats.Failed, stats.Deleted, stats.Servers, processing, failed, scheduled);
    }
}
