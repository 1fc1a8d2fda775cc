using Microsoft.EntityFrameworkCore;

namespace TipBot.Server.Persistence;

/// <summary>
/// Writes described without a context: new rows, and rows whose key is known with some columns to
/// set. On PostgreSQL they go as SQL built once per table (<see cref="PostgresWrites"/>), so the
/// rows never pass through EF's change tracker, which snapshots every column of a row it attaches;
/// elsewhere they are handed to a context (<see cref="AddTo"/>) and saved by EF.
/// </summary>
public sealed class RowChanges
{
    /// <summary>A row to insert (<see cref="Columns"/> null), or to update: its key and those columns.</summary>
    internal readonly record struct Change(object Row, string[]? Columns);

    internal List<Change> Changes { get; } = [];

    public RowChanges Insert(object row)
    {
        Changes.Add(new(row, null));
        return this;
    }

    public RowChanges Insert(IEnumerable<object> rows)
    {
        foreach (var row in rows) Insert(row);
        return this;
    }

    /// <summary>
    /// Sets <paramref name="columns"/> (property names) of the stored row with <paramref name="row"/>'s key
    /// to <paramref name="row"/>'s values; its other members are not read. A row that is not
    /// stored fails the write with a <see cref="DbUpdateConcurrencyException"/>, as EF's save does.
    /// </summary>
    public RowChanges Update(object row, string[] columns)
    {
        Changes.Add(new(row, columns));
        return this;
    }

    /// <summary>Hands the changes to <paramref name="db"/>, for its SaveChanges.</summary>
    internal void AddTo(DbContext db)
    {
        foreach (var (row, columns) in Changes)
        {
            if (columns is null)
            {
                db.Add(row);
                continue;
            }
            var entry = db.Attach(row);
            foreach (var column in columns) entry.Property(column).IsModified = true;
        }
    }
}
