namespace TipBot.Server.Tips;

public sealed class RoutingOptions
{
    public const string Section = "Routing";

    public AckTimeouts AckTimeout { get; set; } = new();

    /// <summary>
    /// City-level specialist units told of every tip of a category, besides the officer who gets
    /// it: category code → unit codes (units of type <c>department</c> in the directory), e.g.
    /// <c>"drugs": ["48-PC04"]</c>. Copies are for information: no buttons, never the tipster's identity.
    /// </summary>
    public Dictionary<string, string[]> Specialists { get; set; } = new(StringComparer.Ordinal);

    public sealed class AckTimeouts
    {
        /// <summary>How long an officer has to accept an urgent tip before it escalates.</summary>
        public TimeSpan Urgent { get; set; } = TimeSpan.FromMinutes(5);

        public TimeSpan Normal { get; set; } = TimeSpan.FromMinutes(30);
    }

    public TimeSpan AckTimeoutFor(bool urgent) => urgent ? AckTimeout.Urgent : AckTimeout.Normal;
}
