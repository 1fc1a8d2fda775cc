using TipBot.Core.Directory;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// The officer's side: buttons on tip alerts. What an action leads to (won, lost to a colleague,
/// not yours) depends on the records, so the command's handler answers the officer.
/// </summary>
public sealed class OfficerConversation
{
    public void Handle(DialogContext dc, Officer officer)
    {
        var payload = dc.Message.ButtonPayload;
        if (payload?.StartsWith(Payloads.AcceptPrefix, StringComparison.Ordinal) == true
            && Guid.TryParseExact(payload[Payloads.AcceptPrefix.Length..], "N", out var assignmentId))
        {
            dc.Do(new AcceptAssignment(assignmentId, dc.From, dc.Culture));
            return;
        }
        dc.Say(dc.T("OfficerHelp"));
    }
}
