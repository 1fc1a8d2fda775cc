using System.Text.RegularExpressions;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>Conversations the tests have often: a resident reporting a tip, an officer's alert arriving.</summary>
public static partial class ResidentScript
{
    private static long _nextChat = 7_200_000_000;

    public static long NewResident() => Interlocked.Increment(ref _nextChat);

    [GeneratedRegex(@"TB-[0-9A-Z]{6}")]
    public static partial Regex TipCodePattern();

    /// <summary>The whole resident conversation; an answer with ':' is a button press. Returns the tip code given.</summary>
    public static async Task<string> ReportTipAsync(this TipBotApp app, long chat, string firstMessage, params string[] answers)
    {
        await app.SendAsync(TelegramUpdates.Text(chat, firstMessage));
        foreach (var answer in answers)
            await app.SendAsync(answer.Contains(':') ? TelegramUpdates.Button(chat, answer) : TelegramUpdates.Text(chat, answer));
        var confirmation = app.Telegram.SentTo(chat).Last();
        var match = TipCodePattern().Match(confirmation.Text);
        Assert.True(match.Success, $"expected a tip code in: {confirmation.Text}");
        return match.Value;
    }

    public static Task<string> ReportDrugTipInHaiChauAsync(this TipBotApp app, long chat) => app.ReportTipAsync(chat,
        "Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ", "time:yesterday", "anon:yes", "confirm:send");

    public static async Task<SentMessage> MessageAsync(this TipBotApp app, long chat, Func<SentMessage, bool> match, string what, int seconds = 20) =>
        (await Eventually.Get(() => app.Telegram.SentTo(chat).FirstOrDefault(match), m => m is not null, what, seconds))!;

    public static Task<SentMessage> AlertForAsync(this TipBotApp app, long officerChat, string code, int seconds = 20) =>
        app.MessageAsync(officerChat, m => m.Text.Contains(code) && m.Buttons.Any(b => b.Data.StartsWith("acc:")), $"alert for {code} to {officerChat}", seconds);

    public static string Button(this SentMessage message, string prefix) => message.Buttons.Single(b => b.Data.StartsWith(prefix)).Data;
}
