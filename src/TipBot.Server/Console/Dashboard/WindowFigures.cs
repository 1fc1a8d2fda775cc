using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Dashboard;

/// <summary>
/// The window's counts and medians, computed where the tips are. SLA: acknowledged within 24 h, over
/// the tips whose 24 h are up (or that were acknowledged sooner): <see cref="Due"/> counts those,
/// <see cref="InTime"/> the ones acknowledged in time.
/// </summary>
internal sealed record WindowFigures(
    IReadOnlyDictionary<string, int> ByCategory,
    IReadOnlyDictionary<string, int> ByUnit,
    IReadOnlyDictionary<DateOnly, int> ByDay,
    TimeSpan? MedianToAcknowledge,
    TimeSpan? MedianToResolve,
    int Due,
    int InTime)
{
    /// <summary>
    /// One statement and one pass over the tips table: the window EF generates (so the visibility
    /// rule is written once, in LINQ) is materialised and then grouped three ways in memory, with
    /// PostgreSQL's percentile_cont for the medians, which EF cannot express. percentile_cont(0.5)
    /// interpolates between the two middle values of an even count, as a median does.
    /// </summary>
    public static async Task<WindowFigures> OnPostgresAsync(TipBotDbContext db, IQueryable<TipRecord> window, DateTime now, CancellationToken ct)
    {
        await using var command = window
            .Select(t => new { t.Category, Unit = t.AssignedUnitCode ?? t.UnitCode, t.ReceivedAt, t.AcceptedAt, t.ResolvedAt })
            .CreateDbCommand();
        // A fixed offset is Vietnam's local day (UTC+7 since 1975, no daylight saving), and cheaper than a zone lookup per row.
        command.CommandText = $"""
            WITH v AS MATERIALIZED ({command.CommandText})
            SELECT 'category' AS kind, v."Category" AS key, NULL::date AS day, count(*) AS n, NULL::interval AS ack, NULL::interval AS resolve, NULL::bigint AS in_time
            FROM v GROUP BY v."Category"
            UNION ALL
            SELECT 'unit', v."Unit", NULL, count(*), NULL, NULL, NULL FROM v WHERE v."Unit" IS NOT NULL GROUP BY v."Unit"
            UNION ALL
            SELECT 'day', NULL, (v."ReceivedAt" AT TIME ZONE 'UTC' + interval '{VietnamTime.UtcOffsetHours} hours')::date, count(*), NULL, NULL, NULL FROM v GROUP BY 3
            UNION ALL
            SELECT 'times', NULL, NULL,
                   count(*) FILTER (WHERE v."AcceptedAt" IS NOT NULL OR v."ReceivedAt" <= @dashboard_due_before),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY v."AcceptedAt" - v."ReceivedAt"),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY v."ResolvedAt" - v."ReceivedAt"),
                   count(*) FILTER (WHERE v."AcceptedAt" - v."ReceivedAt" <= @dashboard_sla)
            FROM v
            """;
        AddParameter(command, "dashboard_due_before", now - DashboardStats.Sla);
        AddParameter(command, "dashboard_sla", DashboardStats.Sla);

        var byCategory = new Dictionary<string, int>();
        var byUnit = new Dictionary<string, int>();
        var byDay = new Dictionary<DateOnly, int>();
        TimeSpan? ack = null, resolve = null;
        int due = 0, inTime = 0;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var count = (int)reader.GetInt64(3);
                switch (reader.GetString(0))
                {
                    case "category": byCategory[reader.GetString(1)] = count; break;
                    case "unit": byUnit[reader.GetString(1)] = count; break;
                    case "day": byDay[reader.GetFieldValue<DateOnly>(2)] = count; break;
                    default:
                        due = count;
                        ack = reader.IsDBNull(4) ? null : reader.GetFieldValue<TimeSpan>(4);
                        resolve = reader.IsDBNull(5) ? null : reader.GetFieldValue<TimeSpan>(5);
                        inTime = (int)reader.GetInt64(6);
                        break;
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return new WindowFigures(byCategory, byUnit, byDay, ack, resolve, due, inTime);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// SQLite groups in SQL too, but has no percentile function and stores times as text: for the
    /// medians it reads only the two times each needs, for the tips that have them (the embedded
    /// store serves small installations).
    /// </summary>
    public static async Task<WindowFigures> OnSqliteAsync(IQueryable<TipRecord> window, DateTime now, CancellationToken ct)
    {
        var byCategory = await window.GroupBy(t => t.Category)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var byUnit = await window.Where(t => (t.AssignedUnitCode ?? t.UnitCode) != null).GroupBy(t => t.AssignedUnitCode ?? t.UnitCode)
            .Select(g => new { Key = g.Key!, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var byDay = await window.GroupBy(t => t.ReceivedAt.AddHours(VietnamTime.UtcOffsetHours).Date)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => DateOnly.FromDateTime(x.Key), x => x.Count, ct);

        var toAcknowledge = (await window.Where(t => t.AcceptedAt != null).Select(t => new { t.ReceivedAt, t.AcceptedAt }).ToListAsync(ct))
            .Select(t => t.AcceptedAt!.Value - t.ReceivedAt).ToList();
        var toResolve = (await window.Where(t => t.ResolvedAt != null).Select(t => new { t.ReceivedAt, t.ResolvedAt }).ToListAsync(ct))
            .Select(t => t.ResolvedAt!.Value - t.ReceivedAt).ToList();
        var dueBefore = now - DashboardStats.Sla;
        var dueUnacknowledged = await window.CountAsync(t => t.AcceptedAt == null && t.ReceivedAt <= dueBefore, ct);
        return new WindowFigures(byCategory, byUnit, byDay, Median(toAcknowledge), Median(toResolve),
            toAcknowledge.Count + dueUnacknowledged, toAcknowledge.Count(d => d <= DashboardStats.Sla));
    }

    private static TimeSpan? Median(List<TimeSpan> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
