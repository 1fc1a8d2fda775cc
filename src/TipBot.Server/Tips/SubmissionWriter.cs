using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// New tips written together when they meet, on the embedded SQLite store: its one writer flushes
/// the disk at every commit, and under a burst residents queued for it to submit. Each resident is
/// told the code once their own tip is committed; a tip whose write fails (a replay, a taken code)
/// is written again alone and handled as before. PostgreSQL writes submissions side by side instead.
/// Up to 16 in one write, a tip being six rows or so: the alerts' marks wait for the writer to be free.
/// </summary>
public sealed class SubmissionWriter(IServiceScopeFactory scopes) : GroupCommit(scopes, maxWrites: 16);
