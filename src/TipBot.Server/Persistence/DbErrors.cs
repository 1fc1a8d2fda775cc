using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TipBot.Server.Persistence;

public static class DbErrors
{
    /// <summary>A unique key said no: the row is already there, which for an idempotent write means done.</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// Data Protection reports every failure as a CryptographicException, also its key ring (kept in
    /// this database) being unreadable just now, e.g. while PostgreSQL restarts: that one wraps the
    /// database's error and passes — the payload itself is fine and must not be taken for garbage.
    /// </summary>
    public static bool IsKeyRingUnreachable(CryptographicException e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is System.Data.Common.DbException or TimeoutException or System.Net.Sockets.SocketException) return true;
        return false;
    }

    /// <summary>
    /// The database was away for a moment (a connection refused or dropped while PostgreSQL
    /// restarts, a locked SQLite file), as opposed to refusing what we asked of it.
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is NpgsqlException { IsTransient: true } or SqliteException { SqliteErrorCode: 5 or 6 }; // SQLITE_BUSY, SQLITE_LOCKED

    /// <summary>The database is not there yet (refused, starting up, shutting down) — unlike a wrong password or a broken migration.</summary>
    public static bool IsNotUpYet(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case PostgresException p:
                    return p.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown;
                case NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or System.IO.IOException }:
                case System.Net.Sockets.SocketException:
                    return true;
            }
        }
        return false;
    }
}
