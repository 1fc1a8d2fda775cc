using System.Text;
using System.Text.Json;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>Telegram updates shaped like the Bot API's own test updates (CHANNELS.md).</summary>
public static class TelegramUpdates
{
    private static int _updateId = 10000;
    private static int _messageId = 1365;

    public static string Text(long chatId, string text, int? messageId = null) => Json(new
    {
        update_id = Interlocked.Increment(ref _updateId),
        message = new
        {
            date = 1441645532,
            chat = new { last_name = "Test Lastname", id = chatId, type = "private", first_name = "Test Firstname", username = "Testusername" },
            message_id = messageId ?? Interlocked.Increment(ref _messageId),
            from = new { last_name = "Test Lastname", id = chatId, first_name = "Test Firstname", username = "Testusername", language_code = "vi" },
            text,
        },
    });

    public static string Photo(long chatId, string? caption = null) => Json(new
    {
        update_id = Interlocked.Increment(ref _updateId),
        message = new
        {
            date = 1441645532,
            chat = new { id = chatId, type = "private", first_name = "Test Firstname" },
            message_id = Interlocked.Increment(ref _messageId),
            from = new { id = chatId, first_name = "Test Firstname" },
            caption,
            photo = new[]
            {
                new { file_id = "AgADBAADsmall", file_unique_id = "s1", width = 90, height = 60, file_size = 1200 },
                new { file_id = "AgADBAADlarge", file_unique_id = "l1", width = 1280, height = 853, file_size = 98000 },
            },
        },
    });

    public static string Button(long chatId, string data, string? queryId = null) => Json(new
    {
        update_id = Interlocked.Increment(ref _updateId),
        callback_query = new
        {
            id = queryId ?? Guid.NewGuid().ToString("N")[..18],
            from = new { id = chatId, first_name = "Test Firstname", language_code = "vi" },
            message = new
            {
                message_id = Interlocked.Increment(ref _messageId),
                date = 1441645532,
                chat = new { id = chatId, type = "private", first_name = "Test Firstname" },
                text = "…",
            },
            chat_instance = "-4123456789012",
            data,
        },
    });

    private static string Json(object o) => JsonSerializer.Serialize(o);

    public static StringContent Content(string json) => new(json, Encoding.UTF8, "application/json");
}
