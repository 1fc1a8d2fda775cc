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
