using Microsoft.EntityFrameworkCore;
using TipBot.Core.Routing;
using TipBot.Server.Persistence;

namespace TipBot.Server.Directory;

/// <summary>
/// Who is off duty and the shifts of every officer, read for every tip's routing but changed by
/// an officer's /offduty or /onduty and a roster import only: kept for <see cref="MaxAge"/> and
/// dropped at once by a change made in this process. Another node (or the import-directory CLI)
/// is seen within MaxAge; a tip routed meanwhile to an officer who just went off duty escalates
/// after its acknowledgement time like any unanswered alert.
/// </summary>
public sealed class DutyRosterCache(IServiceScopeFactory scopes, TimeProvider clock)
    : CachedSnapshot<DutyRoster>(FromRecords(scopes, ReadAsync), MaxAge, clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private static async Task<DutyRoster> ReadAsync(TipBotDbContext db, CancellationToken ct)
    {
        var offDuty = await db.Officers.AsNoTracking().Where(o => !o.OnDuty).Select(o => o.Id).ToListAsync(ct);
        var shifts = await db.DutyShifts.AsNoTracking().Select(s => new DutyShift(s.OfficerId, s.Day, s.StartMinute, s.EndMinute)).ToListAsync(ct);
        return new DutyRoster(shifts, offDuty.ToHashSet(StringComparer.Ordinal));
    }
}
