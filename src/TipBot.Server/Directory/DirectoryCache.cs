using Microsoft.EntityFrameworkCore;
using TipBot.Core.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Directory;

/// <summary>
/// The directory as an in-memory snapshot (a hundred-odd rows), reloaded from the database when
/// it is older than <see cref="MaxAge"/> or after a local import. Other nodes pick up an import
/// within MaxAge; nothing depends on nodes agreeing sooner.
/// </summary>
public sealed class DirectoryCache(IServiceScopeFactory scopes, TimeProvider clock)
    : CachedSnapshot<UnitDirectory>(FromRecords(scopes, ReadAsync), MaxAge, clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private static async Task<UnitDirectory> ReadAsync(TipBotDbContext db, CancellationToken ct)
    {
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var officers = await db.Officers.AsNoTracking().ToListAsync(ct);
        return new UnitDirectory(
            units.Select(u => new Unit(u.Code, u.Name, Unit.TryParseType(u.Type, out var t) ? t : UnitType.Commune, u.ParentCode,
                u.Aliases.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))),
            officers.Select(o => new Officer(o.Id, o.FullName, o.UnitCode, Officer.TryParseRole(o.Role, out var r) ? r : OfficerRole.Officer,
                o.Channel, o.ChatId, o.Phone)));
    }
}
