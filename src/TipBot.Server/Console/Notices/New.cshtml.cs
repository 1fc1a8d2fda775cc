using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TipBot.Core.Directory;
using TipBot.Server.Directory;
using TipBot.Server.Notices;

namespace TipBot.Server.AdminConsole.Notices;

/// <summary>Compose a safety notice, preview its audience, send it (through <see cref="NoticeBroadcasts"/>, as the admin API does).</summary>
[Authorize(Policy = ConsolePolicy.Admin)]
public sealed class NewNoticeModel(NoticeBroadcasts notices, DirectoryCache directory) : PageModel
{
    [BindProperty] public string? Text { get; set; }
    /// <summary>"all" or "units".</summary>
    [BindProperty] public string Audience { get; set; } = "all";
    [BindProperty] public List<string> UnitCodes { get; set; } = [];
    [BindProperty] public List<string> Channels { get; set; } = [];

    public UnitDirectory Directory { get; private set; } = UnitDirectory.Empty;
    public bool Previewing { get; private set; }
    public string? PreviewText { get; private set; }
    public int PreviewAudience { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Directory = await directory.GetAsync(ct);

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        Directory = await directory.GetAsync(ct);
        var request = FromForm();
        (PreviewText, Error) = await notices.ValidateAsync(request, ct);
        if (PreviewText is null) { Response.StatusCode = StatusCodes.Status400BadRequest; return Page(); }
        PreviewAudience = await notices.AudienceAsync(request, ct);
        Previewing = true;
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        var (notice, error) = await notices.CreateAsync(FromForm(), ct);
        if (notice is not null) return Redirect($"/console/notices/{notice.Id}");
        Directory = await directory.GetAsync(ct);
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    // No unit ticked with "some units" is an error, not "everyone": a slip must not reach the whole city.
    private NoticeRequest FromForm() => new(Text,
        Audience == "units" ? UnitCodes.Count == 0 ? ["(none)"] : UnitCodes.ToArray() : null,
        Channels.Count == 0 ? null : Channels.ToArray());

    public string UnitNames => string.Join(", ", UnitCodes.Select(c => Directory.FindUnit(c)?.Name ?? c));
}
