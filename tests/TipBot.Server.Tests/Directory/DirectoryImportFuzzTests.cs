using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Directory;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Directory;

/// <summary>
/// Operators' CSV files, mangled every way a spreadsheet or a tired hand can: the import either
/// applies them or refuses them with its listed errors — never another exception, and a refused
/// file changes nothing. Fixed seeds, so a failure repeats.
/// </summary>
[Collection("integration")]
public sealed class DirectoryImportFuzzTests : IAsyncLifetime
{
    private const int Rounds = 250;
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(StoreMode.Embedded);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static readonly string[] Debris =
    [
        ",", "\"", "\"\"", "\n", "\r\n", "\r", "|", "\uFEFF", "\0", "\t", ";", "\u200B", "Hòa\u0301", "😀", "\uD800",
        new string('x', 5000), "=cmd|' /C calc'!A0", "-1", "9999999999999999999", "province", "duty_desk", "telegram",
    ];

    private static string Mangle(string text, Random random)
    {
        var s = new StringBuilder(text);
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var at = random.Next(s.Length + 1);
            switch (random.Next(5))
            {
                case 0 when s.Length > 0: s.Remove(Math.Min(at, s.Length - 1), Math.Min(random.Next(1, 30), s.Length - Math.Min(at, s.Length - 1))); break;
                case 1: s.Insert(at, Debris[random.Next(Debris.Length)]); break;
                case 2 when s.Length > 0: s[Math.Min(at, s.Length - 1)] = (char)random.Next(0, 0x2FFF); break;
                case 3: s.Insert(at, text.Substring(random.Next(text.Length / 2), random.Next(1, text.Length / 2))); break;
                default: s.Insert(at, new string(',', random.Next(1, 8))); break;
            }
        }
        return s.ToString();
    }

    private async Task<(int Units, int Officers, string Names)> SnapshotAsync() => await _app.WithDbAsync(async db => (
        await db.Units.CountAsync(), await db.Officers.CountAsync(),
        string.Join('|', await db.Officers.OrderBy(o => o.Id).Select(o => o.Id + o.FullName + o.UnitCode + o.Role + o.ChatId).ToListAsync())));

    [Fact]
    public async Task Mangled_directory_files_are_applied_or_refused_with_their_errors_and_a_refusal_changes_nothing()
    {
        var random = new Random(20261126);
        var refused = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var (units, officers) = random.Next(3) switch
            {
                0 => (Mangle(TestDirectory.Units, random), TestDirectory.Officers),
                1 => (TestDirectory.Units, Mangle(TestDirectory.Officers, random)),
                _ => (Mangle(TestDirectory.Units, random), Mangle(TestDirectory.Officers, random)),
            };
            var before = await SnapshotAsync();
            await using var scope = _app.Services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<DirectoryImporter>().ImportAsync(new StringReader(units), new StringReader(officers), CancellationToken.None);
            }
            catch (DirectoryImportException e)
            {
                refused++;
                Assert.NotEmpty(e.Errors);
                Assert.Equal(before, await SnapshotAsync());
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\n--- units.csv\n{units}\n--- officers.csv\n{officers}");
            }
            // Put the directory back for the next round.
            await scope.ServiceProvider.GetRequiredService<DirectoryImporter>()
                .ImportAsync(new StringReader(TestDirectory.Units), new StringReader(TestDirectory.Officers), CancellationToken.None);
        }
        Assert.InRange(refused, Rounds / 4, Rounds); // the mangling really produced bad files
    }

    [Fact]
    public async Task Mangled_roster_files_are_applied_or_refused_with_their_errors_and_a_refusal_changes_nothing()
    {
        const string roster = "officer_id,days,start,end\no-20242,mon-fri,07:30,17:00\nb-20242,sat-sun,22:00,06:00\n";
        var random = new Random(1126);
        for (var round = 0; round < Rounds; round++)
        {
            var text = Mangle(roster, random);
            var before = await _app.WithDbAsync(db => db.DutyShifts.OrderBy(s => s.Id).Select(s => s.OfficerId + ":" + s.Day + ":" + s.StartMinute + ":" + s.EndMinute).ToListAsync());
            await using var scope = _app.Services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<RosterImporter>().ImportAsync(new StringReader(text), CancellationToken.None);
            }
            catch (DirectoryImportException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.Equal(before, await _app.WithDbAsync(db => db.DutyShifts.OrderBy(s => s.Id).Select(s => s.OfficerId + ":" + s.Day + ":" + s.StartMinute + ":" + s.EndMinute).ToListAsync()));
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\n--- rosters.csv\n{text}");
            }
        }
    }
}
