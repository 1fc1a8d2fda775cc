using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TipBot.Server.Directory;

namespace TipBot.Server.AdminConsole.Directory;

/// <summary>
/// Upload units.csv and officers.csv, see what would be added, changed or retired, then confirm.
/// The files travel back with the confirm form (hidden fields), so what is imported is exactly
/// what was previewed, on whichever node answers. Both steps are the <see cref="DirectoryImporter"/>'s.
/// </summary>
[Authorize(Policy = ConsolePolicy.Admin)]
public sealed class ImportModel(DirectoryImporter importer) : PageModel
{
    private const long MaxFileBytes = 5 * 1024 * 1024;

    [BindProperty] public string? UnitsCsv { get; set; }
    [BindProperty] public string? OfficersCsv { get; set; }
    public DirectoryImportPreview? Preview { get; private set; }
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public ImportResult? Result { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? units, IFormFile? officers, CancellationToken ct)
    {
        if (units is null || officers is null || units.Length > MaxFileBytes || officers.Length > MaxFileBytes)
            return Refused([ConsoleText.Text("ImportNeedsBothFiles")]);
        UnitsCsv = await ReadAsync(units, ct);
        OfficersCsv = await ReadAsync(officers, ct);
        try
        {
            Preview = await importer.PreviewAsync(new StringReader(UnitsCsv), new StringReader(OfficersCsv), ct, retireSampleOfficers: true);
        }
        catch (DirectoryImportException e)
        {
            return Refused(e.Errors);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        if (UnitsCsv is null || OfficersCsv is null) return Refused([ConsoleText.Text("ImportNeedsBothFiles")]);
        try
        {
            Result = await importer.ImportAsync(new StringReader(UnitsCsv), new StringReader(OfficersCsv), ct, retireSampleOfficers: true);
        }
        catch (DirectoryImportException e)
        {
            return Refused(e.Errors);
        }
        return Page();
    }

    private PageResult Refused(IReadOnlyList<string> errors)
    {
        Errors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static async Task<string> ReadAsync(IFormFile file, CancellationToken ct)
    {
        using var reader = new StreamReader(file.OpenReadStream());
        return await reader.ReadToEndAsync(ct);
    }
}
