using Microsoft.AspNetCore.HttpOverrides;
using TipBot.Server.AdminConsole;
using TipBot.Server.Cli;
using TipBot.Server.Hosting;

var command = CommandLine.CommandOf(args);
if (command is not "serve") return await CommandLine.RunAsync(command, args);

var builder = WebApplication.CreateBuilder(CommandLine.HostArguments(args));
builder.AddTipBotCore();
builder.AddTipBotStores();
builder.AddChannels();
builder.AddTipBotStartup();
builder.AddTipBotJobs();
builder.AddTipBotHealthChecks();
builder.AddTipBotTracing();
builder.AddTipBotConsole();

var app = builder.Build();
app.UseStoreOutageAnswers();
// Behind nginx on the same host: the client's address comes from X-Forwarded-For, trusted only
// from loopback proxies (the default), so "loopback only" pages stay closed to the internet.
app.UseForwardedHeaders(new() { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseTipBotConsole();
app.MapTipBotEndpoints();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
