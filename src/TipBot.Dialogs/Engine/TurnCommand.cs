using System.Text.Json.Serialization;
using TipBot.Core.Messaging;

namespace TipBot.Dialogs.Engine;

/// <summary>
/// A change to the records that a turn asks for. Commands are stored with the turn's state and
/// applied after the commit; each carries the key that makes applying it twice a no-op.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SubmitTip), "submit_tip")]
[JsonDerivedType(typeof(AcceptAssignment), "accept_assignment")]
[JsonDerivedType(typeof(AskReporter), "ask_reporter")]
[JsonDerivedType(typeof(AnswerOfficer), "answer_officer")]
[JsonDerivedType(typeof(ResolveTip), "resolve_tip")]
[JsonDerivedType(typeof(ReassignTip), "reassign_tip")]
[JsonDerivedType(typeof(MarkDuplicate), "mark_duplicate")]
[JsonDerivedType(typeof(SetOnDuty), "set_on_duty")]
[JsonDerivedType(typeof(LinkChat), "link_chat")]
[JsonDerivedType(typeof(Subscribe), "subscribe")]
[JsonDerivedType(typeof(Unsubscribe), "unsubscribe")]
[JsonDerivedType(typeof(DeleteMyData), "delete_my_data")]
public abstract record TurnCommand;

/// <summary>Records a tip. <see cref="SubmissionId"/> is unique: the same submission is one tip.</summary>
public sealed record SubmitTip(
    Guid SubmissionId,
    string Code,
    string Description,
    string Category,
    double CategoryConfidence,
    bool Urgent,
    string? UnitCode,
    string? PlaceText,
    string? TimeText,
    bool Anonymous,
    string? ContactPhone,
    int EvidenceCount,
    ChatAddress Reporter,
    string Culture) : TurnCommand;

/// <summary>An officer pressed "accept" on an alert.</summary>
public sealed record AcceptAssignment(Guid AssignmentId, ChatAddress Officer, string Culture) : TurnCommand;

// Officer actions. Each names the assignment the officer's buttons belong to; the handler checks
// that this chat is that assignment's officer. RequestId, chosen in the turn, keys the messages
// the action sends, so applying the command twice sends them once.

/// <summary>The officer's question, relayed to the tipster without revealing either side.</summary>
public sealed record AskReporter(Guid RequestId, Guid AssignmentId, ChatAddress Officer, string Question, string Culture) : TurnCommand;

/// <summary>
/// The tipster's answer to an officer's question, relayed back; or, with <paramref name="Addition"/>,
/// information the tipster adds to their tip unprompted.
/// </summary>
public sealed record AnswerOfficer(Guid RequestId, Guid TipId, ChatAddress Reporter, string Answer, string Culture, bool Addition = false) : TurnCommand;

public sealed record ResolveTip(Guid AssignmentId, ChatAddress Officer, string Outcome, string Culture) : TurnCommand;

/// <summary>"Not my area": the tip goes to another unit.</summary>
public sealed record ReassignTip(Guid AssignmentId, ChatAddress Officer, string UnitCode, string Culture) : TurnCommand;

public sealed record MarkDuplicate(Guid AssignmentId, ChatAddress Officer, string OriginalCode, string Culture) : TurnCommand;

/// <summary>/onduty, /offduty.</summary>
public sealed record SetOnDuty(Guid RequestId, ChatAddress Officer, bool OnDuty, string Culture) : TurnCommand;

/// <summary>/link CODE: an officer links this chat account with a one-time code an admin issued.</summary>
public sealed record LinkChat(Guid RequestId, ChatAddress Chat, string Code, string Culture) : TurnCommand;

/// <summary>A resident asks for the safety notices of a unit.</summary>
public sealed record Subscribe(ChatAddress Chat, string UnitCode, string Culture) : TurnCommand;

/// <summary>/stop: no more safety notices, for any unit.</summary>
public sealed record Unsubscribe(ChatAddress Chat) : TurnCommand;

/// <summary>/xoadulieu: the resident asks for their personal data to be deleted (PDPL: consent can be withdrawn).</summary>
public sealed record DeleteMyData(ChatAddress Chat) : TurnCommand;
