using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

public sealed class TipLookup(IServiceScopeFactory scopes, DirectoryCache directory, PersonalData personal) : ITipLookup
{
    public async Task<TipStatusView?> FindByCodeAsync(string code, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        var tip = await db.Tips.AsNoTracking().FirstOrDefaultAsync(t => t.Code == code, ct);
        if (tip is null) return null;
        var units = await directory.GetAsync(ct);
        var unitName = units.FindUnit(tip.AssignedUnitCode ?? tip.UnitCode)?.Name;
        return new TipStatusView(tip.Code, tip.Status, unitName, new DateTimeOffset(tip.ReceivedAt, TimeSpan.Zero),
            new ChatAddress(tip.ReporterChannel, personal.UnprotectOrNull(tip.ReporterChatId) ?? ""), tip.Id);
    }
}
