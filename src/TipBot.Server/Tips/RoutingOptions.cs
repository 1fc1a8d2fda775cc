namespace TipBot.Server.Tips;

public sealed class RoutingOptions
{
    public const string Section = "Routing";

    public AckTimeouts AckTimeout { get; set; } = new();

    public sealed class AckTimeouts
    {
        /// <summary>How long an officer has to accept an urgent tip before it escalates.</summary>
        public TimeSpan Urgent { get; set; } = TimeSpan.FromMinutes(5);

        public TimeSpan Normal { get; set; } = TimeSpan.FromMinutes(30);
    }

    public TimeSpan AckTimeoutFor(bool urgent) => urgent ? AckTimeout.Urgent : AckTimeout.Normal;
}
