using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Tips;

/// <summary>The tip list's filters, bound from the query string (so a filtered list is a link to share).</summary>
public sealed class TipFilter
{
    public const int PageSize = 25;

    [FromQuery(Name = "unit")] public string? Unit { get; set; }
    [FromQuery(Name = "category")] public string? Category { get; set; }
    [FromQuery(Name = "status")] public string? Status { get; set; }
    /// <summary>"yes", "no" or empty.</summary>
    [FromQuery(Name = "urgent")] public string? Urgent { get; set; }
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "q")] public string? Text { get; set; }
    [FromQuery(Name = "page")] public int Page { get; set; } = 1;

    public static readonly string[] Statuses = [TipStatus.Received, TipStatus.Assigned, TipStatus.Accepted, TipStatus.Resolved, TipStatus.Duplicate];

    public IQueryable<TipRecord> Apply(IQueryable<TipRecord> tips)
    {
        if (!string.IsNullOrWhiteSpace(Unit)) tips = tips.Where(t => t.UnitCode == Unit || t.AssignedUnitCode == Unit);
        if (!string.IsNullOrWhiteSpace(Category)) tips = tips.Where(t => t.Category == Category);
        if (!string.IsNullOrWhiteSpace(Status)) tips = tips.Where(t => t.Status == Status);
        if (Urgent == "yes") tips = tips.Where(t => t.Urgent);
        if (Urgent == "no") tips = tips.Where(t => !t.Urgent);
        if (VietnamTime.ParseDay(From) is { } from)
        {
            var start = VietnamTime.StartOfDayUtc(from);
            tips = tips.Where(t => t.ReceivedAt >= start);
        }
        if (VietnamTime.ParseDay(To) is { } to)
        {
            var end = VietnamTime.StartOfDayUtc(to.AddDays(1));
            tips = tips.Where(t => t.ReceivedAt < end);
        }
        if (Core.Text.VietnameseText.Normalize(Text).Trim() is { Length: > 0 } text)
        {
            // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
            var pattern = "%" + text.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            tips = tips.Where(t => EF.Functions.Like(t.Description.ToLower(), pattern, "\\"));
        }
        return tips;
    }

    /// <summary>The query string of this filter, for paging and export links.</summary>
    public string Query(int? page = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value) { if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{name}={Uri.EscapeDataString(value)}"); }
        Add("unit", Unit); Add("category", Category); Add("status", Status); Add("urgent", Urgent);
        Add("from", From); Add("to", To); Add("q", Text);
        if (page is > 1) parts.Add($"page={page}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

public static class TipVisibility
{
    /// <summary>
    /// The tips the account may see, applied in the query itself: an officer's list, detail page,
    /// export and charts all start here, so no page can show another unit's tip by forgetting a check.
    /// </summary>
    public static IQueryable<TipRecord> VisibleTo(this IQueryable<TipRecord> tips, ClaimsPrincipal user)
    {
        if (user.Units() is not { } units) return tips;
        var codes = units.ToList();
        return tips.Where(t => (t.UnitCode != null && codes.Contains(t.UnitCode)) || (t.AssignedUnitCode != null && codes.Contains(t.AssignedUnitCode)));
    }
}
