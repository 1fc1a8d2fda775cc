using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace TipBot.Server.Persistence;

/// <summary>
/// New rows on PostgreSQL, written by INSERTs whose SQL is built once per table from EF's model.
/// EF's update pipeline builds the SQL, sorts the commands and lays out every column afresh on each
/// save: for a tip's four to eight new rows that was the server's largest cost under load
/// (docs/benchmarks.md, seventeenth session). The values go through the type mappings EF itself
/// uses, and the statements go as one command through EF's own command pipeline, so they travel as
/// EF's batch did — one round trip, one implicit transaction — and EF's interceptors and logging see them.
/// </summary>
/// <remarks>
/// Only plain rows qualify: a table of its own, no inheritance, owned or complex types, relations,
/// shadow properties or database defaults other than an identity column. Anything else, and every
/// change that is not an insert, is EF's to save. An identity the database assigns is not read
/// back, which no caller needs.
/// </remarks>
internal static class PostgresInserts
{
    // A class, so that a save's tables are told apart by reference (see SameTables).
    private sealed class Table(string insert, IProperty[] columns, RelationalTypeMapping[] mappings, IProperty[] generated)
    {
        public string Insert { get; } = insert;
        public IProperty[] Columns { get; } = columns;
        public RelationalTypeMapping[] Mappings { get; } = mappings;
        public IProperty[] Generated { get; } = generated;
    }

    // Per entity type of each model; null: a type this writer leaves to EF.
    private static readonly ConcurrentDictionary<IEntityType, Table?> Tables = new();

    // The SQL and parameters of each sequence of tables a save writes, laid out once, as EF's query
    // cache keeps a query's: building them per save, and EF's raw SQL copying every parameter and
    // formatting the SQL again, was 13 % of the server's allocation (docs/benchmarks.md, nineteenth session).
    private static readonly ConcurrentDictionary<Table[], IRelationalCommandTemplate> Commands = new(new SameTables());

    // A save's sequences come from the code's few paths; the bound only guards against a path that varies them without end.
    private const int MaxCommands = 1024;

    // The parameters' names for a tip's rows and more, made once.
    private static readonly string[] Names = [.. Enumerable.Range(0, 256).Select(Number)];

    /// <summary>
    /// Writes <paramref name="rows"/>, all of them new, and says true; false, having written
    /// nothing, when they are EF's to save. The rows are read as they are: whether a context tracks
    /// them is the caller's business.
    /// </summary>
    public static async Task<bool> TryWriteAsync(DbContext db, IReadOnlyList<object> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return true; // nothing to write, as EF's save would find
        var tables = new Table[rows.Count];
        var count = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (db.Model.FindEntityType(rows[i].GetType()) is not { } type || Tables.GetOrAdd(type, static (type, db) => Describe(db, type), db) is not { } table) return false;
            foreach (var generated in table.Generated)
                if (!Equals(generated.GetGetter().GetClrValue(rows[i]), generated.Sentinel)) return false; // a value of our own: EF's to insert
            tables[i] = table;
            count += table.Columns.Length;
        }

        var values = new Dictionary<string, object?>(count);
        var next = 0;
        for (var i = 0; i < rows.Count; i++)
            foreach (var column in tables[i].Columns)
                values.Add(Name(next++), column.GetGetter().GetClrValue(rows[i]));

        // Sent as EF sends a query: a command rented from the connection, so its interceptors and logging see it.
        var connection = db.GetService<IRelationalConnection>();
        var command = connection.RentCommand();
        command.PopulateFrom(CommandFor(db, tables));
        int written;
        try
        {
            written = await command.ExecuteNonQueryAsync(
                new RelationalCommandParameterObject(connection, values, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.SaveChanges), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As EF's own save reports it, so callers tell a key met (DbErrors.IsUniqueViolation) the same way.
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", e);
        }
        finally
        {
            connection.ReturnCommand(command);
        }
        // Only a trigger that drops a row could make it fewer, which EF would report too.
        if (written != rows.Count) throw new DbUpdateException($"{rows.Count} rows were to be inserted, {written} were.");
        return true;
    }

    private static IRelationalCommandTemplate CommandFor(DbContext db, Table[] tables)
    {
        if (Commands.TryGetValue(tables, out var known)) return known;
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
        var sql = new StringBuilder();
        var next = 0;
        foreach (var table in tables)
        {
            sql.Append(table.Insert);
            for (var c = 0; c < table.Columns.Length; c++, next++)
            {
                sql.Append(c == 0 ? "@" : ", @").Append(Name(next));
                builder.AddParameter(Name(next), Name(next), table.Mappings[c], table.Columns[c].IsNullable);
            }
            sql.Append(");\n");
        }
        var command = builder.Append(sql.ToString()).Build();
        return Commands.Count < MaxCommands ? Commands.GetOrAdd(tables, command) : command;
    }

    private static string Name(int i) => i < Names.Length ? Names[i] : Number(i);

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

    private sealed class SameTables : IEqualityComparer<Table[]>
    {
        public bool Equals(Table[]? x, Table[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(Table[] tables)
        {
            var hash = new HashCode();
            foreach (var table in tables) hash.Add(table);
            return hash.ToHashCode();
        }
    }
}
