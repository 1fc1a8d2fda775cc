using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace TipBot.Server.Persistence;

/// <summary>
/// Writes on PostgreSQL by SQL built once per table from EF's model: new rows by INSERTs, and rows
/// whose key is known by UPDATEs of the columns given. EF's update pipeline builds the SQL, sorts
/// the commands and lays out every column afresh on each save, and snapshots every column of a row
/// it tracks: for a tip's rows that was the server's largest cost under load (docs/benchmarks.md,
/// seventeenth session), and for the marks of finished sends the largest left (twenty-second). The
/// values go through the type mappings EF itself uses, and the statements go as one command
/// through EF's own command pipeline, so they travel as EF's batch did — one round trip, one
/// implicit transaction — and EF's interceptors and logging see them.
/// </summary>
/// <remarks>
/// Only plain rows qualify: a table of its own, no inheritance, owned or complex types, relations,
/// shadow properties, concurrency tokens or database defaults other than an identity column.
/// Anything else is EF's to save. An identity the database assigns is not read back, which no caller needs.
/// </remarks>
internal static class PostgresWrites
{
    // SQLSTATE of an UPDATE that found no row (see DescribeUpdate).
    private const string RowNotFound = Npgsql.PostgresErrorCodes.DivisionByZero;

    // One kind of statement: a table's INSERT, or an UPDATE of some of its columns. A class, so that
    // a save's statements are told apart by reference (see SameStatements).
    private sealed class Statement(string sql, IProperty[] columns, RelationalTypeMapping[] mappings, IProperty[] generated, bool inserts)
    {
        // Where this kind goes in a command: a save's statements are sorted by it (see TryWriteAsync).
        private static int _made;
        public int Order { get; } = Interlocked.Increment(ref _made);

        /// <summary>The SQL, with {0}, {1}, … where the values of <see cref="Columns"/> go.</summary>
        public string Sql { get; } = sql;
        public IProperty[] Columns { get; } = columns;
        public RelationalTypeMapping[] Mappings { get; } = mappings;
        /// <summary>An insert's identities: left to the database, so a row must not give them a value.</summary>
        public IProperty[] Generated { get; } = generated;
        public bool Inserts { get; } = inserts;
    }

    // Per entity type of each model; null: a type this writer leaves to EF.
    private static readonly ConcurrentDictionary<IEntityType, Statement?> Inserts = new();
    private static readonly ConcurrentDictionary<UpdateOf, Statement?> Updates = new();

    // The SQL and parameters of each sequence of statements a save writes, laid out once, as EF's
    // query cache keeps a query's: building them per save, and EF's raw SQL copying every parameter
    // and formatting the SQL again, was 13 % of the server's allocation (docs/benchmarks.md, nineteenth session).
    private static readonly ConcurrentDictionary<Statement[], IRelationalCommandTemplate> Commands = new(new SameStatements());

    // A save's sequences come from the code's few paths; the bound only guards against a path that varies them without end.
    private const int MaxCommands = 1024;

    // The parameters' names for a tip's rows and more, made once.
    private static readonly string[] Names = [.. Enumerable.Range(0, 256).Select(Number)];

    /// <summary>
    /// Writes <paramref name="changes"/> and says true; false, having written nothing, when they
    /// are EF's to save. The rows are read as they are: none is tracked by the context. An update
    /// whose row is not stored fails the whole write with a <see cref="DbUpdateConcurrencyException"/>.
    /// </summary>
    public static async Task<bool> TryWriteAsync(DbContext db, RowChanges changes, CancellationToken ct)
    {
        var count = changes.Changes.Count;
        if (count == 0) return true; // nothing to write, as EF's save would find
        var writes = new (Statement Statement, object Row, int Index)[count];
        var (values, inserts) = (0, 0);
        for (var i = 0; i < count; i++)
        {
            var (row, columns) = changes.Changes[i];
            if (db.Model.FindEntityType(row.GetType()) is not { } type) return false;
            var statement = columns is null
                ? Inserts.GetOrAdd(type, static (type, db) => DescribeInsert(db, type), db)
                : Updates.GetOrAdd(new(type, columns), static (update, db) => DescribeUpdate(db, update.Type, update.Columns), db);
            if (statement is null) return false;
            foreach (var generated in statement.Generated)
                if (!Equals(generated.GetGetter().GetClrValue(row), generated.Sentinel)) return false; // a value of our own: EF's to insert
            writes[i] = (statement, row, i);
            values += statement.Columns.Length;
            if (statement.Inserts) inserts++;
        }
        // Statements of a kind together, each kind's in the order given: marks that meet come in any
        // order, and each mix of kinds is then one command laid out once. Statements of a write never
        // depend on each other's order (no relations, above).
        Array.Sort(writes, static (a, b) => a.Statement.Order != b.Statement.Order ? a.Statement.Order.CompareTo(b.Statement.Order) : a.Index.CompareTo(b.Index));

        var parameters = new Dictionary<string, object?>(values);
        var next = 0;
        foreach (var (statement, row, _) in writes)
            foreach (var column in statement.Columns)
                parameters.Add(Name(next++), column.GetGetter().GetClrValue(row));

        // Sent as EF sends a query: a command rented from the connection, so its interceptors and logging see it.
        var connection = db.GetService<IRelationalConnection>();
        var command = connection.RentCommand();
        command.PopulateFrom(CommandFor(db, writes));
        int written;
        try
        {
            written = await command.ExecuteNonQueryAsync(
                new RelationalCommandParameterObject(connection, parameters, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.SaveChanges), ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == RowNotFound)
        {
            throw new DbUpdateConcurrencyException("A row to update is not stored; nothing was written.", e);
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
        // Only a trigger that drops a row could make it fewer, which EF would report too. An
        // update's statement is a SELECT, which Npgsql does not count (-1 when all are).
        if (Math.Max(written, 0) != inserts) throw new DbUpdateException($"{inserts} rows were to be inserted, {written} were.");
        return true;
    }

    /// <summary>
    /// Writes <paramref name="rows"/>, all of them new, and says true; false, having written
    /// nothing, when they are EF's to save.
    /// </summary>
    public static Task<bool> TryInsertAsync(DbContext db, IEnumerable<object> rows, CancellationToken ct) =>
        TryWriteAsync(db, new RowChanges().Insert(rows), ct);

    private static IRelationalCommandTemplate CommandFor(DbContext db, (Statement Statement, object Row, int Index)[] writes)
    {
        var statements = Array.ConvertAll(writes, w => w.Statement);
        if (Commands.TryGetValue(statements, out var known)) return known;
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
        var sql = new StringBuilder();
        var next = 0;
        foreach (var statement in statements)
        {
            var names = new object[statement.Columns.Length];
            for (var c = 0; c < names.Length; c++, next++)
            {
                names[c] = "@" + Name(next);
                builder.AddParameter(Name(next), Name(next), statement.Mappings[c], statement.Columns[c].IsNullable);
            }
            sql.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, statement.Sql, names).Append(";\n");
        }
        var command = builder.Append(sql.ToString()).Build();
        return Commands.Count < MaxCommands ? Commands.GetOrAdd(statements, command) : command;
    }

    private static string Name(int i) => i < Names.Length ? Names[i] : Number(i);

    private static string Number(int i) => "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Statement? DescribeInsert(DbContext db, IEntityType type)
    {
        if (!IsPlain(type, out var table)) return null;
        var columns = new List<IProperty>();
        var generated = new List<IProperty>();
        foreach (var property in type.GetProperties())
        {
            if (NpgsqlPropertyExtensions.GetValueGenerationStrategy(property) == Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.None) columns.Add(property);
            else generated.Add(property); // an identity: the database's to number
        }
        var sql = db.GetService<ISqlGenerationHelper>();
        var values = string.Join(", ", columns.Select((_, i) => $"{{{i}}}"));
        var insert = $"INSERT INTO {TableName(sql, table)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}) VALUES ({values})";
        return new Statement(insert, [.. columns], [.. columns.Select(c => c.GetRelationalTypeMapping())], [.. generated], inserts: true);
    }

    private static Statement? DescribeUpdate(DbContext db, IEntityType type, string[] names)
    {
        if (!IsPlain(type, out var table) || type.FindPrimaryKey() is not { } key || type.GetProperties().Any(p => p.IsConcurrencyToken)) return null;
        var set = new List<IProperty>();
        foreach (var name in names)
        {
            if (type.FindProperty(name) is not { } property || property.IsKey() || property.ValueGenerated != ValueGenerated.Never) return null;
            set.Add(property);
        }
        var sql = db.GetService<ISqlGenerationHelper>();
        string Assign(IProperty column, int i) => $"{sql.DelimitIdentifier(column.GetColumnName(table)!)} = {{{i}}}";
        var assignments = string.Join(", ", set.Select(Assign));
        var match = string.Join(" AND ", key.Properties.Select((column, i) => Assign(column, set.Count + i)));
        // A row not found must fail the batch, as it fails EF's save: dividing by the count of rows
        // updated is an error the server rolls the whole implicit transaction back for.
        var update = $"WITH updated AS (UPDATE {TableName(sql, table)} SET {assignments} WHERE {match} RETURNING 1) SELECT 1 / count(*) FROM updated";
        IProperty[] columns = [.. set, .. key.Properties];
        return new Statement(update, columns, [.. columns.Select(c => c.GetRelationalTypeMapping())], [], inserts: false);
    }

    // A table of its own, and every column a plain value of the row.
    private static bool IsPlain(IEntityType type, out StoreObjectIdentifier table)
    {
        table = default;
        if (type.GetTableName() is not { } name || type.BaseType is not null || type.GetDirectlyDerivedTypes().Any() || type.IsOwned()
            || type.GetComplexProperties().Any() || type.GetNavigations().Any() || type.GetSkipNavigations().Any() || type.GetForeignKeys().Any()
            || type.GetReferencingForeignKeys().Any() || type.GetTableMappings().Count() != 1)
            return false;
        table = StoreObjectIdentifier.Table(name, type.GetSchema());
        return type.GetProperties().All(p => !p.IsShadowProperty() && p.GetComputedColumnSql() is null && p.GetDefaultValueSql() is null
            && !p.TryGetDefaultValue(out _) && !p.ValueGenerated.HasFlag(ValueGenerated.OnUpdate));
    }

    private static string TableName(ISqlGenerationHelper sql, StoreObjectIdentifier table) => sql.DelimitIdentifier(table.Name, table.Schema);

    // An update of these columns of a type's rows: equal when the names are, whatever array holds them.
    private readonly record struct UpdateOf(IEntityType Type, string[] Columns)
    {
        public bool Equals(UpdateOf other) => Type == other.Type && Columns.AsSpan().SequenceEqual(other.Columns);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Type);
            foreach (var column in Columns) hash.Add(column);
            return hash.ToHashCode();
        }
    }

    private sealed class SameStatements : IEqualityComparer<Statement[]>
    {
        public bool Equals(Statement[]? x, Statement[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(Statement[] statements)
        {
            var hash = new HashCode();
            foreach (var statement in statements) hash.Add(statement);
            return hash.ToHashCode();
        }
    }
}
