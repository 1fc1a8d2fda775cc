using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TipBot.Core.Directory;
using TipBot.Server.Directory;
using TipBot.Server.Notices;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Notices;

/// <summary>
/// Compose a safety notice (Vietnamese text, optional English text, optional image), preview how
/// it looks and whom it reaches, send it now or at a Vietnam time (through
/// <see cref="NoticeBroadcasts"/>, as the admin API does).
/// </summary>
[Authorize(Policy = ConsolePolicy.Admin)]
[RequestSizeLimit(NoticeImages.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = NoticeImages.MaxBytes + 1024 * 1024)]
public sealed class NewNoticeModel(NoticeBroadcasts notices, NoticeImages images, DirectoryCache directory) : PageModel
{
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public string? TextEn { get; set; }
    /// <summary>"all" or "units".</summary>
    [BindProperty] public string Audience { get; set; } = "all";
    [BindProperty] public List<string> UnitCodes { get; set; } = [];
    [BindProperty] public List<string> Channels { get; set; } = [];
    /// <summary>"now" or "at".</summary>
    [BindProperty] public string When { get; set; } = "now";
    /// <summary>Vietnam time, dd/MM/yyyy HH:mm.</summary>
    [BindProperty] public string? SendAt { get; set; }
    [BindProperty] public IFormFile? Image { get; set; }
    /// <summary>The image stored by the preview, carried to the send so it is not uploaded twice.</summary>
    [BindProperty] public Guid? ImageId { get; set; }

    public UnitDirectory Directory { get; private set; } = UnitDirectory.Empty;
    public bool Previewing { get; private set; }
    public NoticeDraft? Draft { get; private set; }
    public int PreviewAudience { get; private set; }
    public int PreviewEnglishAudience { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<NoticeRecord> Scheduled { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var (request, formError) = await FromFormAsync(ct);
        if (request is null) return Refused(formError!);
        (Draft, var error) = await notices.ValidateAsync(request, ct);
        if (Draft is null) return Refused(error!);
        PreviewAudience = await notices.AudienceAsync(request, ct);
        PreviewEnglishAudience = Draft.TextEn is null ? 0 : await notices.EnglishAudienceAsync(request, ct);
        Previewing = true;
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        var (request, formError) = await FromFormAsync(ct);
        if (request is null)
        {
            await LoadAsync(ct);
            return Refused(formError!);
        }
        var (notice, error) = await notices.CreateAsync(request, ct);
        if (notice is not null) return Redirect($"/console/notices/{notice.Id}");
        await LoadAsync(ct);
        return Refused(error!);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Directory = await directory.GetAsync(ct);
        Scheduled = await notices.ScheduledAsync(ct);
    }

    private PageResult Refused(NoticeError error)
    {
        Error = error.Localized;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    // No unit ticked with "some units" is an error, not "everyone": a slip must not reach the whole city.
    private async Task<(NoticeRequest? Request, NoticeError? Error)> FromFormAsync(CancellationToken ct)
    {
        string? sendAt = null;
        if (When == "at")
        {
            if (VietnamTime.ParseLocal(SendAt) is not { } local) return (null, new("NoticeError_SendAtLocal"));
            sendAt = local.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Image is { Length: > 0 } upload)
        {
            await using var stream = upload.OpenReadStream();
            var (id, error) = await images.StoreAsync(stream, upload.Length, ct);
            if (id is null) return (null, error);
            ImageId = id;
        }
        return (new NoticeRequest(Text,
            Audience == "units" ? UnitCodes.Count == 0 ? ["(none)"] : UnitCodes.ToArray() : null,
            Channels.Count == 0 ? null : Channels.ToArray(),
            TextEn, sendAt) { ImageId = ImageId }, null);
    }

    public string UnitNames => string.Join(", ", UnitCodes.Select(c => Directory.FindUnit(c)?.Name ?? c));
}
