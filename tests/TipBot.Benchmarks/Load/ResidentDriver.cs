using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;

namespace TipBot.Benchmarks.Load;

/// <summary>The questions of ReportTipDialog, in the order it asks them; each turn must ask a later one.</summary>
public enum Question { None = -1, Description = 0, Category = 1, Place = 2, Time = 3, Anonymous = 4, Phone = 5, Confirm = 6, Done = 7, Unexpected = 99 }

/// <summary>A first message and the ward it names (whose officer must get the alert).</summary>
public sealed record TipTemplate(string Text, string UnitCode);

/// <summary>One chat: its id and what the bot already told it.</summary>
public sealed class Resident(long chatId)
{
    public long ChatId { get; } = chatId;
    public bool Greeted { get; set; }
    public int NextMessageId { get; set; } = 1;
}

/// <summary>One webhook turn as the driver saw it. Times are Stopwatch ticks.</summary>
public readonly record struct TurnSample(string Step, long StartedAt, long AckTicks, long ReplyTicks, long CompletedAt);

public sealed class ConversationResult
{
    public long ResidentChat { get; init; }
    public string? ExpectedUnit { get; set; }
    public bool Completed { get; set; }
    public bool Held { get; set; }
    public string? Code { get; set; }
    public long SubmitStartedAt { get; set; }
    public long CodeArrivedAt { get; set; }
    public long StartedAt { get; set; }
    public long FinishedAt { get; set; }
    public int Turns { get; set; }
    public string? Error { get; set; }
}

/// <summary>What one simulated resident (or one worker) recorded; merged at the end, no locks while running.</summary>
public sealed class WorkerLog
{
    public List<TurnSample> Turns { get; } = new(4096);
    public List<ConversationResult> Conversations { get; } = new(1024);
    public List<string> ErrorExamples { get; } = [];
}

/// <summary>
/// Plays residents through the whole tip conversation over POST /webhooks/telegram with real
/// Telegram update shapes (tests/TipBot.Server.Tests/Infrastructure/TelegramUpdates.cs), reading
/// the bot's replies from the Telegram double, and checks every turn: the expected number of
/// replies, a question later in the dialog than the last one (a repeated question is a retry,
/// i.e. a failure), the buttons of that question, and the TB- code after "Gửi".
/// </summary>
public sealed class ResidentDriver(HttpClient http, string webhookUrl, string secret, TelegramApiDouble api, int stepTimeoutMs)
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    private const int MaxTurns = 8;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static long _updateId = 900_000;
    private static long _queryId;
    private static long _nextResident = 7_300_000_000;

    /// <summary>Tips in the words residents use, each naming its ward with the prefix ("phường …"), so the first message fills the place.</summary>
    public static readonly TipTemplate[] Templates =
    [
        new("Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ", "20242"),
        new("Có người trộm xe máy ở phường Hải Vân", "20194"),
        new("Tối nào cũng có người bán ma túy ở phường Hoà Cường", "20257"),
        new("Nhóm thanh niên tụ tập đánh bạc ăn tiền mỗi tối trong hẻm ở phường Thanh Khê", "20209"),
        new("Có kẻ gọi điện giả danh công an lừa chuyển khoản, số tài khoản ở phường Sơn Trà", "20263"),
        new("Một nhóm đua xe lạng lách mỗi đêm trên đường ven biển phường Ngũ Hành Sơn", "20285"),
    ];

    public static Resident NewResident() => new(Interlocked.Increment(ref _nextResident));

    /// <summary>
    /// One tip, first message to code. With <paramref name="holdAt"/> the conversation stops (held,
    /// in progress) when the bot asks that question.
    /// </summary>
    public async Task<ConversationResult> RunTipAsync(Resident resident, TipTemplate tip, WorkerLog log, Question holdAt = Question.None)
    {
        var result = new ConversationResult { ResidentChat = resident.ChatId, ExpectedUnit = tip.UnitCode, StartedAt = Stopwatch.GetTimestamp() };
        log.Conversations.Add(result);
        var inbox = api.Inbox(resident.ChatId);
        var body = TextUpdate(resident, tip.Text);
        var step = "tip";
        var last = Question.None;
        for (var turn = 1; turn <= MaxTurns; turn++)
        {
            var expectedReplies = turn == 1 && !resident.Greeted ? 3 : 1; // greeting and privacy notice come first, once
            var outcome = await TurnAsync(inbox, body, step, expectedReplies, log);
            result.Turns = turn;
            if (outcome.Error is { } error) return Fail(result, log, error, step, outcome.Replies);
            if (turn == 1) resident.Greeted = true;
            var (question, message) = (outcome.Question, outcome.Message!);
            if (step == "send") result.SubmitStartedAt = outcome.StartedAt;
            if (question <= last || question == Question.Unexpected)
                return Fail(result, log, question == Question.Unexpected ? "unexpected_question" : "question_repeated_or_out_of_order", step, outcome.Replies);
            if (question == Question.Done)
            {
                if (last != Question.Confirm) return Fail(result, log, "code_without_confirmation", step, outcome.Replies);
                result.Code = TelegramApiDouble.TipCode().Match(message.Text).Value;
                result.CodeArrivedAt = message.ArrivedAt;
                result.Completed = true;
                result.FinishedAt = Stopwatch.GetTimestamp();
                return result;
            }
            last = question;
            if (question == holdAt)
            {
                result.Held = true;
                result.FinishedAt = Stopwatch.GetTimestamp();
                return result;
            }
            (body, step) = Answer(resident, question, message, result);
        }
        return Fail(result, log, "too_many_turns", step, []);
    }

    private (byte[] Body, string Step) Answer(Resident r, Question question, BotMessage asked, ConversationResult result)
    {
        switch (question)
        {
            case Question.Category:
                return (ButtonUpdate(r, asked, asked.ButtonData.First(d => d.StartsWith("cat:", StringComparison.Ordinal))), "category");
            case Question.Place:
                var candidate = asked.ButtonData.FirstOrDefault(d => d.StartsWith("place:", StringComparison.Ordinal) && d != "place:unknown");
                if (candidate is not null)
                {
                    result.ExpectedUnit = candidate["place:".Length..];
                    return (ButtonUpdate(r, asked, candidate), "place");
                }
                result.ExpectedUnit = "20242";
                return (TextUpdate(r, "Phường Hải Châu"), "place");
            case Question.Time:
                return (ButtonUpdate(r, asked, "time:yesterday"), "time");
            case Question.Anonymous:
                return (ButtonUpdate(r, asked, "anon:yes"), "anonymous");
            case Question.Phone:
                return (ButtonUpdate(r, asked, "skip"), "phone");
            default:
                return (ButtonUpdate(r, asked, "confirm:send"), "send");
        }
    }

    private readonly record struct TurnOutcome(long StartedAt, Question Question, BotMessage? Message, List<BotMessage> Replies, string? Error);

    private async Task<TurnOutcome> TurnAsync(ChannelReader<BotMessage> inbox, byte[] body, string step, int expectedReplies, WorkerLog log)
    {
        var replies = new List<BotMessage>(expectedReplies);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + Stopwatch.Frequency * stepTimeoutMs / 1000;
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(SecretHeader, secret);
        using (var timeout = new CancellationTokenSource(stepTimeoutMs))
        {
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                if (!response.IsSuccessStatusCode) return new(started, Question.None, null, replies, $"http_{(int)response.StatusCode}");
                // A method in the webhook response is a Bot API call too (TipBot answers button presses that way).
                if (response.Content.Headers.ContentLength > 0 && (await response.Content.ReadAsStringAsync(timeout.Token)).Contains("\"answerCallbackQuery\"", StringComparison.Ordinal))
                    api.CountAnswerInWebhookResponse();
            }
            catch (OperationCanceledException) { return new(started, Question.None, null, replies, "ack_timeout"); }
            catch (HttpRequestException e) { return new(started, Question.None, null, replies, "http_error:" + e.HttpRequestError); }
        }
        var acked = Stopwatch.GetTimestamp();

        BotMessage? asked = null;
        var question = Question.None;
        while (asked is null)
        {
            while (asked is null && inbox.TryRead(out var m))
            {
                replies.Add(m);
                question = Classify(m);
                if (question != Question.None) asked = m;
            }
            if (asked is not null) break;
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0) return new(started, Question.None, null, replies, "reply_timeout");
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            try { await inbox.WaitToReadAsync(wait.Token); }
            catch (OperationCanceledException) { return new(started, Question.None, null, replies, "reply_timeout"); }
        }
        // The question ends the turn: anything after it, or a different count, is not the dialog we expect.
        while (inbox.TryRead(out var extra)) replies.Add(extra);
        if (replies.Count != expectedReplies || !ReferenceEquals(replies[^1], asked))
            return new(started, question, asked, replies, "unexpected_replies");

        log.Turns.Add(new TurnSample(step, started, acked - started, asked.ArrivedAt - started, Stopwatch.GetTimestamp()));
        return new(started, question, asked, replies, null);
    }

    /// <summary>Which question a reply asks, from its buttons; a reply with a tip code and no buttons ends the tip.</summary>
    public static Question Classify(BotMessage m)
    {
        var data = m.ButtonData;
        if (data.Length == 0) return TelegramApiDouble.TipCode().IsMatch(m.Text) ? Question.Done : Question.None;
        if (data.Any(d => d.StartsWith("cat:", StringComparison.Ordinal))) return Question.Category;
        if (data.Any(d => d.StartsWith("place:", StringComparison.Ordinal))) return Question.Place;
        if (data.Any(d => d.StartsWith("time:", StringComparison.Ordinal))) return Question.Time;
        if (data.Any(d => d.StartsWith("anon:", StringComparison.Ordinal))) return Question.Anonymous;
        if (data.Contains("confirm:send")) return Question.Confirm;
        if (data.All(d => d == "skip")) return Question.Phone;
        return Question.Unexpected;
    }

    private static ConversationResult Fail(ConversationResult result, WorkerLog log, string error, string step, List<BotMessage> replies)
    {
        result.Error = error;
        result.FinishedAt = Stopwatch.GetTimestamp();
        if (log.ErrorExamples.Count < 3)
            log.ErrorExamples.Add($"{error} at step '{step}' (chat {result.ResidentChat}): "
                + string.Join(" | ", replies.Select(r => $"«{Shorten(r.Text)}» [{string.Join(' ', r.ButtonData)}]")));
        return result;
    }

    private static string Shorten(string text) => (text.Length > 70 ? text[..70] + "…" : text).ReplaceLineEndings(" ");

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static byte[] TextUpdate(Resident r, string text)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("update_id", Interlocked.Increment(ref _updateId));
            w.WriteStartObject("message");
            w.WriteNumber("message_id", r.NextMessageId++);
            WriteUser(w, r.ChatId);
            WriteChat(w, r.ChatId);
            w.WriteNumber("date", Now);
            w.WriteString("text", text);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A callback_query on the bot's message <paramref name="on"/>, as Telegram sends a pressed inline button.</summary>
    public static byte[] ButtonUpdate(Resident r, BotMessage on, string data)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("update_id", Interlocked.Increment(ref _updateId));
            w.WriteStartObject("callback_query");
            w.WriteString("id", $"{r.ChatId}{Interlocked.Increment(ref _queryId)}");
            WriteUser(w, r.ChatId);
            w.WriteStartObject("message");
            w.WriteNumber("message_id", on.MessageId);
            w.WriteStartObject("from");
            w.WriteNumber("id", 123456);
            w.WriteBoolean("is_bot", true);
            w.WriteString("first_name", "TipBot");
            w.WriteEndObject();
            WriteChat(w, r.ChatId);
            w.WriteNumber("date", Now);
            w.WriteString("text", on.Text);
            w.WriteEndObject();
            w.WriteString("chat_instance", "-" + r.ChatId);
            w.WriteString("data", data);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteUser(Utf8JsonWriter w, long id)
    {
        w.WriteStartObject("from");
        w.WriteNumber("id", id);
        w.WriteBoolean("is_bot", false);
        w.WriteString("first_name", "Cư dân");
        w.WriteString("language_code", "vi");
        w.WriteEndObject();
    }

    private static void WriteChat(Utf8JsonWriter w, long id)
    {
        w.WriteStartObject("chat");
        w.WriteNumber("id", id);
        w.WriteString("type", "private");
        w.WriteString("first_name", "Cư dân");
        w.WriteEndObject();
    }
}
