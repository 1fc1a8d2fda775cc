namespace TipBot.Server.Persistence;

/// <summary>
/// Ids of the rows a tip writes: time-ordered (UUID version 7), so each new row lands at the end of
/// its key's index, on pages just written, instead of on a random page of an index that grows with
/// every tip ever received (docs/benchmarks.md, thirteenth session). They say when the row was made,
/// which no one outside sees: residents get tip codes, and an officer's button is checked against
/// the officer's chat, never trusted for its id.
/// </summary>
public static class RecordIds
{
    public static Guid New() => Guid.CreateVersion7();
}
