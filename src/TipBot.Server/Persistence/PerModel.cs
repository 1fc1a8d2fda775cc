using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace TipBot.Server.Persistence;

/// <summary>
/// An EF compiled query for whichever model the context has. EF binds a compiled query to the
/// first model it runs with, and one process can hold two (the test suite runs SQLite and
/// PostgreSQL side by side), so each model gets its own compilation.
/// </summary>
public sealed class PerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = new();

    public TQuery For(DbContext db) => _compiled.GetValue(db.Model, _ => compile());
}
