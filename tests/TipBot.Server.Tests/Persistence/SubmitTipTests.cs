using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Server.Tests.Infrastructure;
using TipBot.Server.Tips;

namespace TipBot.Server.Tests.Persistence;

/// <summary>
/// Recording a submitted tip looks for the same submission and for its code by their unique keys:
/// a replay is the same tip, and a code another tip holds is replaced.
/// </summary>
[Collection("integration")]
public abstract class SubmitTipTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static SubmitTip Tip(Guid submission, string code) => new(submission, code, "Có người bán ma túy ở hẻm 12", "drugs", 0.9,
        Urgent: false, UnitCode: "20242", PlaceText: "Hải Châu", TimeText: "tối qua", Anonymous: true, ContactPhone: null, EvidenceCount: 0,
        new ChatAddress("telegram", ResidentScript.NewResident().ToString()), "vi");

    private async Task<string> SubmitAsync(SubmitTip tip)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitTipHandler>().HandleAsync(tip, CancellationToken.None);
    }

    [Fact]
    public async Task A_replayed_submission_is_the_same_tip_and_a_taken_code_is_replaced()
    {
        var first = Tip(Guid.NewGuid(), "DN-AAAAAA");
        Assert.Equal("DN-AAAAAA", await SubmitAsync(first));
        Assert.Equal("DN-AAAAAA", await SubmitAsync(first)); // the platform delivered the last message again

        var second = Tip(Guid.NewGuid(), "DN-AAAAAA"); // another resident, drawn the same code
        var code = await SubmitAsync(second);
        Assert.NotEqual("DN-AAAAAA", code);
        Assert.StartsWith("DN-", code);
        Assert.Equal(code, await SubmitAsync(second));

        var tips = await _app.WithDbAsync(db => db.Tips.AsNoTracking().OrderBy(t => t.ReceivedAt).ToListAsync());
        Assert.Equal([first.SubmissionId, second.SubmissionId], tips.Select(t => t.SubmissionId));
        Assert.Equal(["DN-AAAAAA", code], tips.Select(t => t.Code));
    }
}

public sealed class SubmitTipOnEmbeddedStores() : SubmitTipTests(StoreMode.Embedded);

public sealed class SubmitTipOnRedisAndPostgres() : SubmitTipTests(StoreMode.Production);
