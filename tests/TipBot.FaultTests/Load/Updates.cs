using System.Text.Json;

namespace TipBot.FaultTests.Load;

/// <summary>
/// Telegram updates shaped like the Bot API's (copied from the integration tests' helper, with the
/// ids chosen by the caller: Telegram redelivers an update with the same update_id, message_id and
/// callback query id).
/// </summary>
public static class Updates
{
    public static string Text(long updateId, long chatId, int messageId, string text) => JsonSerializer.Serialize(new
    {
        update_id = updateId,
        message = new
        {
            date = 1441645532,
            chat = new { last_name = "Test Lastname", id = chatId, type = "private", first_name = "Test Firstname", username = "Testusername" },
            message_id = messageId,
            from = new { last_name = "Test Lastname", id = chatId, first_name = "Test Firstname", username = "Testusername", language_code = "vi" },
            text,
        },
    });

    public static string Button(long updateId, long chatId, int messageId, string queryId, string data) => JsonSerializer.Serialize(new
    {
        update_id = updateId,
        callback_query = new
        {
            id = queryId,
            from = new { id = chatId, first_name = "Test Firstname", language_code = "vi" },
            message = new
            {
                message_id = messageId,
                date = 1441645532,
                chat = new { id = chatId, type = "private", first_name = "Test Firstname" },
                text = "…",
            },
            chat_instance = "-4123456789012",
            data,
        },
    });
}

/// <summary>The directory the run imports: four wards and the city's duty desk, every officer on Telegram.</summary>
public static class TestDirectory
{
    public const long HaiChauOfficer = 5000001, HoaCuongOfficer = 5000002, HaiVanOfficer = 5000003, HaiChauBackup = 5000004, ProvinceDesk = 5000009;

    public static readonly long[] OfficerChats = [HaiChauOfficer, HoaCuongOfficer, HaiVanOfficer, HaiChauBackup, ProvinceDesk];

    public const string Units = """
        code,name,type,parent_code,aliases
        48,Thành phố Đà Nẵng,province,,Đà Nẵng
        20242,Phường Hải Châu,ward,48,Hải Châu|Phước Ninh|Quận Hải Châu
        20257,Phường Hoà Cường,ward,48,Hoà Cường|Hòa Cường Bắc|Hải Châu|Quận Hải Châu
        20194,Phường Hải Vân,ward,48,Hải Vân|Hòa Hiệp Bắc|Phường Hòa Hiệp Bắc
        20305,Phường An Khê,ward,48,An Khê
        """;

    public const string Officers = """
        id,full_name,unit_code,role,channel,chat_id,phone
        o-20242,Nguyễn Văn An,20242,officer,telegram,5000001,0905000001
        o-20257,Trần Thị Bình,20257,officer,telegram,5000002,
        o-20194,Lê Văn Cường,20194,officer,telegram,5000003,
        b-20242,Phạm Thị Dung,20242,backup,telegram,5000004,
        desk-48,Trực ban Công an thành phố,48,duty_desk,telegram,5000009,
        """;

    /// <summary>Tips whose dialog is known (the integration tests use them): first message, then button presses.</summary>
    public static readonly (string First, string[] Presses, long Officer)[] Scripts =
    [
        ("Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ", ["time:yesterday", "anon:yes", "confirm:send"], HaiChauOfficer),
        ("Có người trộm xe máy ở phường Hải Vân", ["time:today", "anon:yes", "confirm:send"], HaiVanOfficer),
        ("Tối nào cũng có người bán ma túy ở phường Hoà Cường", ["time:today", "anon:yes", "confirm:send"], HoaCuongOfficer),
        ("Có người trộm xe đạp ở phường An Khê", ["time:today", "anon:yes", "confirm:send"], ProvinceDesk),
    ];
}
