using TipBot.Server.Persistence;

namespace TipBot.Server.Outbox;

/// <summary>
/// Marks of finished sends — an officer's alert, an outbox row — written together when they meet.
/// A caller returns once its own mark is committed, so the window in which a crash repeats a send
/// is still the send and its mark. Up to 64 in one write: a burst's alerts finish together, one
/// per router worker (Jobs:RouterWorkers), and a mark is a row or two.
/// </summary>
public sealed class MarkWriter(IServiceScopeFactory scopes) : GroupCommit(scopes, maxWrites: 64);
