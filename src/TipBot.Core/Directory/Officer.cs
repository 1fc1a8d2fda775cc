namespace TipBot.Core.Directory;

public enum OfficerRole { Officer, Backup, DutyDesk }

/// <summary>An officer as the directory knows them, with the chat account alerts go to.</summary>
public sealed record Officer(string Id, string FullName, string UnitCode, OfficerRole Role, string Channel, string ChatId, string? Phone)
{
    public static string RoleToCsv(OfficerRole role) => role switch
    {
        OfficerRole.Officer => "officer",
        OfficerRole.Backup => "backup",
        _ => "duty_desk",
    };

    public static bool TryParseRole(string? text, out OfficerRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "officer": role = OfficerRole.Officer; return true;
            case "backup": role = OfficerRole.Backup; return true;
            case "duty_desk": role = OfficerRole.DutyDesk; return true;
            default: role = default; return false;
        }
    }
}
