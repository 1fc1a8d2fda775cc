using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>
/// Counts EF saves whose tracked rows match — one save is one write, however many statements EF
/// batches into it — and can hold the next one before it reaches the database.
/// </summary>
public sealed class SaveCounter(Func<DbContext, bool> matches) : SaveChangesInterceptor, IHeldPath
{
    private readonly HoldPoint _point = new();

    public int Count => _point.Count;

    /// <summary>Completes when the save held by <see cref="HoldNext"/> has arrived.</summary>
    public Task Held => _point.Held;

    /// <summary>Holds the next matching save until the returned action is called.</summary>
    public Action HoldNext() => _point.HoldNext();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (matches(eventData.Context!)) await _point.PassAsync();
        return result;
    }
}
