using System.Text.Json;

namespace TipBot.Server.Tests.Hosting;

/// <summary>
/// The runtime settings the build ships in TipBot.Server.runtimeconfig.json. Each was chosen by a
/// measurement on two cores (docs/benchmarks.md); a change of SDK default or a dropped project line
/// would undo it silently, so the file operators deploy is checked here.
/// </summary>
public class RuntimeSettingsTests
{
    [Theory]
    [InlineData("System.GC.Server", "false")] // workstation GC: server GC cost 55 MB (fourteenth session)
    [InlineData("System.GC.Concurrent", "true")]
    [InlineData("System.GC.ConserveMemory", "8")] // gen2 collected before its gaps pile up (fifteenth session)
    [InlineData("System.Runtime.TieredPGO", "false")]
    [InlineData("System.Threading.ThreadPool.MinThreads", "8")]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]
    public void The_server_ships_the_measured_runtime_setting(string name, string expected)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TipBot.Server.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty(name, out var value), $"{name} is missing from {path}");
        Assert.Equal(expected, value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
    }
}
