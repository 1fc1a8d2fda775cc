namespace TipBot.FaultTests;

/// <summary>
/// The runs that start server processes take the machine one at a time: side by side, each one's
/// kills and timings would fall on a machine loaded by the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServerProcesses
{
    public const string Name = "server processes";
}
