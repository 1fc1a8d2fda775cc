using Microsoft.Extensions.Options;
using TipBot.Core.Classification;
using TipBot.Dialogs.Engine;
using TipBot.Server.Directory;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;
using TipBot.Server.Tips;

namespace TipBot.Server.Conversations;

public sealed class TurnServicesFactory(
    DirectoryCache directory,
    ITipClassifier classifier,
    UrgencyDetector urgency,
    TipLookup tips,
    PersonalData pins,
    TimeProvider clock,
    IOptions<TipBotOptions> options)
{
    public async Task<TurnServices> CreateAsync(CancellationToken ct) =>
        new(await directory.GetAsync(ct), classifier, urgency, tips, clock, options.Value.TipCodePrefix, options.Value.DefaultCulture, pins);
}
