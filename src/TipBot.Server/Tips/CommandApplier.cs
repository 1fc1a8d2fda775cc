using TipBot.Dialogs.Engine;
using TipBot.Server.Notices;
using TipBot.Server.Officers;
using TipBot.Server.Privacy;

namespace TipBot.Server.Tips;

/// <summary>Applies a committed turn's commands to the records. Every handler is idempotent.</summary>
public sealed class CommandApplier(IServiceScopeFactory scopes)
{
    /// <summary>
    /// Applies the command. Returns a text substitution for the turn's replies when the records
    /// differ from what the turn proposed (a tip code that another tip already had), else null.
    /// </summary>
    public async Task<(string Proposed, string Actual)?> ApplyAsync(TurnCommand command, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (command)
        {
            case SubmitTip submit:
                var code = await services.GetRequiredService<SubmitTipHandler>().HandleAsync(submit, ct);
                return code == submit.Code ? null : (submit.Code, code);
            case AcceptAssignment accept:
                await services.GetRequiredService<AcceptAssignmentHandler>().HandleAsync(accept, ct);
                return null;
            case LinkChat link:
                await services.GetRequiredService<LinkCodes>().HandleAsync(link, ct);
                return null;
            case Subscribe subscribe:
                await services.GetRequiredService<SubscriptionHandler>().SubscribeAsync(subscribe, ct);
                return null;
            case Unsubscribe unsubscribe:
                await services.GetRequiredService<SubscriptionHandler>().UnsubscribeAsync(unsubscribe, ct);
                return null;
            case DeleteMyData delete:
                await services.GetRequiredService<PrivacyHandler>().DeleteMyDataAsync(delete, ct);
                return null;
        }
        var officers = services.GetRequiredService<OfficerActionHandler>();
        switch (command)
        {
            case AskReporter ask: await officers.AskReporterAsync(ask, ct); break;
            case AnswerOfficer answer: await officers.AnswerOfficerAsync(answer, ct); break;
            case ResolveTip resolve: await officers.ResolveAsync(resolve, ct); break;
            case ReassignTip reassign: await officers.ReassignAsync(reassign, ct); break;
            case MarkDuplicate duplicate: await officers.MarkDuplicateAsync(duplicate, ct); break;
            case SetOnDuty duty: await officers.SetOnDutyAsync(duty, ct); break;
            default:
                throw new NotSupportedException($"No handler for {command.GetType().Name}");
        }
        return null;
    }
}
