using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace TipBot.Server.Persistence;

/// <summary>
/// New rows on PostgreSQL, written by INSERTs whose SQL is built once per table from EF's model.
/// EF's update pipeline builds the SQL, sorts the commands and lays out every column afresh on each
/// save: for a tip's four to eight new rows that was the server's largest cost under load
/// (docs/benchmarks.md, seventeenth session). The values go through the type mappings EF itself
/// uses, and the statements through EF's raw SQL as one command, so they travel as EF's batch did —
/// one round trip, one implicit transaction — and EF's interceptors and logging see them.
/// </summary>
/// <remarks>
/// Only plain rows qualify: a table of its own, no inheritance, owned or complex types, relations,
/// shadow properties or database defaults other than an identity column. Anything else, and every
/// change that is not an insert, is EF's to save. Rows written here are no longer tracked afterwards
/// (an identity the database assigned is not read back), which no caller of a one-batch save needs.
/// </remarks>
internal static class PostgresInserts
{
    private sealed record Table(string Insert, IProperty[] Columns, RelationalTypeMapping[] Mappings, IProperty[] Generated);

    // Per entity type of each model; null: a type this writer leaves to EF.
    private static readonly ConcurrentDictionary<IEntityType, Table?> Tables = new();

    // Only a factory of NpgsqlParameters for the type mappings, which want a command to ask.
    private static readonly NpgsqlCommand Parameters = new();

    // The parameters' names for a tip's rows and more, made once.
    private static readonly string[] Names = [.. Enumerable.Range(0, 256).Select(Number)];

    /// <summary>Writes <paramref name="entries"/>, all of them new rows, and says true; false when they are EF's to save.</summary>
    public static async Task<bool> TryWriteAsync(DbContext db, IReadOnlyList<EntityEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return true; // nothing to write, as EF's save would find
        var tables = new Table[entries.Count];
        var count = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].State != EntityState.Added || Tables.GetOrAdd(entries[i].Metadata, static (type, db) => Describe(db, type), db) is not { } table) return false;
            foreach (var generated in table.Generated)
                if (!Equals(generated.GetGetter().GetClrValue(entries[i].Entity), generated.Sentinel)) return false; // a value of our own: EF's to insert
            tables[i] = table;
            count += table.Columns.Length;
        }

        var sql = new StringBuilder();
        var parameters = new DbParameter[count];
        var next = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var (table, entity) = (tables[i], entries[i].Entity);
            sql.Append(table.Insert);
            for (var c = 0; c < table.Columns.Length; c++, next++)
            {
                var name = next < Names.Length ? Names[next] : Number(next);
                sql.Append(c == 0 ? "@" : ", @").Append(name);
                parameters[next] = table.Mappings[c].CreateParameter(Parameters, name, table.Columns[c].GetGetter().GetClrValue(entity), table.Columns[c].IsNullable);
            }
            sql.Append(");\n");
        }
        int written;
        try
        {
            written = await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As EF's own save reports it, so callers tell a key met (DbErrors.IsUniqueViolation) the same way.
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", e, entries);
        }
        // Only a trigger that drops a row could make it fewer, which EF would report too.
        if (written != entries.Count) throw new DbUpdateException($"{entries.Count} rows were to be inserted, {written} were.", (Exception?)null, entries);
        db.ChangeTracker.Clear();
        return true;
    }

    private static string Number(int i) => "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Table? Describe(DbContext db, IEntityType type)
    {
        if (type.GetTableName() is not { } name || type.BaseType is not null || type.GetDirectlyDerivedTypes().Any() || type.IsOwned()
            || type.GetComplexProperties().Any() || type.GetNavigations().Any() || type.GetSkipNavigations().Any() || type.GetForeignKeys().Any()
            || type.GetReferencingForeignKeys().Any() || type.GetTableMappings().Count() != 1)
            return null;
        var table = StoreObjectIdentifier.Table(name, type.GetSchema());
        var columns = new List<IProperty>();
        var generated = new List<IProperty>();
        foreach (var property in type.GetProperties())
        {
            if (property.IsShadowProperty() || property.GetComputedColumnSql() is not null || property.GetDefaultValueSql() is not null
                || property.TryGetDefaultValue(out _) || property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate))
                return null;
            if (NpgsqlPropertyExtensions.GetValueGenerationStrategy(property) == Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.None) columns.Add(property);
            else generated.Add(property); // an identity: the database's to number
        }
        var sql = db.GetService<ISqlGenerationHelper>();
        var insert = $"INSERT INTO {sql.DelimitIdentifier(name, type.GetSchema())} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}) VALUES (";
        return new Table(insert, [.. columns], [.. columns.Select(c => c.GetRelationalTypeMapping())], [.. generated]);
    }
}
