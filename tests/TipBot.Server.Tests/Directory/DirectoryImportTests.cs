using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Directory;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Directory;

[Collection("integration")]
public abstract class DirectoryImportTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<ImportResult> ImportAsync(string units, string officers)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DirectoryImporter>().ImportAsync(new StringReader(units), new StringReader(officers), CancellationToken.None);
    }

    [Fact]
    public async Task Importing_the_same_files_again_changes_nothing()
    {
        var again = await ImportAsync(TestDirectory.Units, TestDirectory.Officers);
        Assert.Equal(new ImportResult(0, 0, 0, 0), again);
        Assert.Equal(6, await _app.WithDbAsync(db => db.Units.CountAsync()));
    }

    [Fact]
    public async Task The_shipped_sample_directory_imports_all_94_units_the_specialist_departments_and_their_officers()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "SampleDirectory");
        var result = await ImportAsync(File.ReadAllText(Path.Combine(folder, "units.csv")), File.ReadAllText(Path.Combine(folder, "officers.csv")));

        Assert.Equal(99, await _app.WithDbAsync(db => db.Units.CountAsync()));
        Assert.Equal(94, await _app.WithDbAsync(db => db.Units.CountAsync(u => u.ParentCode == "48" && u.Type != "department")));
        Assert.Equal(4, await _app.WithDbAsync(db => db.Units.CountAsync(u => u.Type == "department")));
        Assert.True(result.OfficersAdded >= 90, result.ToString());
    }

    [Fact]
    public async Task An_operators_import_retires_the_sample_web_officers_it_does_not_name()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "SampleDirectory");
        await ImportAsync(File.ReadAllText(Path.Combine(folder, "units.csv")), File.ReadAllText(Path.Combine(folder, "officers.csv")));

        await using var scope = _app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DirectoryImporter>()
            .ImportAsync(new StringReader(TestDirectory.Units), new StringReader(TestDirectory.Officers), CancellationToken.None, retireSampleOfficers: true);

        Assert.Equal(99, result.SampleOfficersRetired);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Officers.CountAsync(o => o.Channel == "web")));
    }

    [Fact]
    public async Task A_roster_replaces_the_shifts_of_the_officers_it_names_and_a_bad_file_changes_nothing()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var rosters = scope.ServiceProvider.GetRequiredService<RosterImporter>();
        await rosters.ImportAsync(new StringReader("officer_id,days,start,end\no-20242,mon-fri,07:30,17:00\no-20242,\"sat,sun\",22:00,06:00\n"), CancellationToken.None);
        var count = await rosters.ImportAsync(new StringReader("officer_id,days,start,end\no-20242,*,00:00,23:59\n"), CancellationToken.None);

        Assert.Equal(7, count);
        Assert.Equal(7, await _app.WithDbAsync(db => db.DutyShifts.CountAsync(s => s.OfficerId == "o-20242")));
        var error = await Assert.ThrowsAsync<DirectoryImportException>(() =>
            rosters.ImportAsync(new StringReader("officer_id,days,start,end\nnobody,mon,07:00,08:00\no-20242,someday,07:00,08:00\n"), CancellationToken.None));
        Assert.Equal(2, error.Errors.Count);
        Assert.Equal(7, await _app.WithDbAsync(db => db.DutyShifts.CountAsync()));
    }

    [Fact]
    public async Task An_updated_row_is_updated_and_invalid_files_change_nothing()
    {
        var renamed = TestDirectory.Officers.Replace("Nguyễn Văn An", "Nguyễn Văn Anh");
        Assert.Equal(new ImportResult(0, 0, 0, 1), await ImportAsync(TestDirectory.Units, renamed));

        var broken = TestDirectory.Officers + "\nx-1,Someone,99999,officer,telegram,1,\n";
        var error = await Assert.ThrowsAsync<DirectoryImportException>(() => ImportAsync(TestDirectory.Units, broken));
        Assert.Contains("unknown unit_code 99999", error.Message);
        Assert.Equal(6, await _app.WithDbAsync(db => db.Officers.CountAsync()));
    }
}

public sealed class DirectoryImportOnSqlite() : DirectoryImportTests(StoreMode.Embedded);

public sealed class DirectoryImportOnPostgres() : DirectoryImportTests(StoreMode.Production);
