using TipBot.Core.Messaging;

namespace TipBot.Dialogs.Engine;

public sealed record TipStatusView(string Code, string Status, string? UnitName, DateTimeOffset ReceivedAt, ChatAddress Reporter, Guid Id = default);

/// <summary>Read-only access to submitted tips, for the status question.</summary>
public interface ITipLookup
{
    Task<TipStatusView?> FindByCodeAsync(string code, CancellationToken ct);
}
