using Microsoft.EntityFrameworkCore;
using TipBot.Core.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Directory;

/// <summary>
/// The directory as an in-memory snapshot (a hundred-odd rows), reloaded from the database when
/// it is older than <see cref="MaxAge"/> or after a local import. Other nodes pick up an import
/// within MaxAge; nothing depends on nodes agreeing sooner.
/// </summary>
public sealed class DirectoryCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private readonly IServiceScopeFactory _scopes;
    private readonly CachedSnapshot<UnitDirectory> _snapshot;

    public DirectoryCache(IServiceScopeFactory scopes, TimeProvider clock)
    {
        _scopes = scopes;
        _snapshot = new CachedSnapshot<UnitDirectory>(LoadAsync, MaxAge, clock);
    }

    public Task<UnitDirectory> GetAsync(CancellationToken ct) => _snapshot.GetAsync(ct);

    public void Invalidate() => _snapshot.Invalidate();

    private async Task<UnitDirectory> LoadAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var officers = await db.Officers.AsNoTracking().ToListAsync(ct);
        return new UnitDirectory(
            units.Select(u => new Unit(u.Code, u.Name, Unit.TryParseType(u.Type, out var t) ? t : UnitType.Commune, u.ParentCode,
                u.Aliases.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))),
            officers.Select(o => new Officer(o.Id, o.FullName, o.UnitCode, Officer.TryParseRole(o.Role, out var r) ? r : OfficerRole.Officer,
                o.Channel, o.ChatId, o.Phone)));
    }
}
