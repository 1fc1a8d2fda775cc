namespace TipBot.Core.Routing;

/// <summary>A weekly shift in Vietnam time: ISO day (1 = Monday), minutes after local midnight.</summary>
public sealed record DutyShift(string OfficerId, int Day, int StartMinute, int EndMinute);

/// <summary>
/// Who is on duty at an instant: an officer who has not switched themselves off (/offduty) and,
/// if they have shifts, is inside one of them in Asia/Ho_Chi_Minh time. No shifts means always.
/// </summary>
public sealed class DutyRoster(IEnumerable<DutyShift> shifts, IReadOnlySet<string> offDuty)
{
    public static readonly TimeZoneInfo Vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
    private readonly ILookup<string, DutyShift> _shifts = shifts.ToLookup(s => s.OfficerId);

    public static DutyRoster Everyone { get; } = new([], new HashSet<string>());

    public bool IsOnDuty(string officerId, DateTimeOffset at)
    {
        if (offDuty.Contains(officerId)) return false;
        var shifts = _shifts[officerId].ToList();
        if (shifts.Count == 0) return true;
        var local = TimeZoneInfo.ConvertTime(at, Vietnam);
        var day = IsoDay(local.DayOfWeek);
        var minute = local.Hour * 60 + local.Minute;
        var yesterday = day == 1 ? 7 : day - 1;
        return shifts.Any(s => s.StartMinute <= s.EndMinute
            ? s.Day == day && minute >= s.StartMinute && minute < s.EndMinute
            // an overnight shift: the evening of its day, or the morning after
            : (s.Day == day && minute >= s.StartMinute) || (s.Day == yesterday && minute < s.EndMinute));
    }

    public static int IsoDay(DayOfWeek day) => day == DayOfWeek.Sunday ? 7 : (int)day;
}
