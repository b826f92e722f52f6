using MicAi.Core;

var builder = WebApplication.CreateBuilder(args);
builder.AddMicAiCore();
var app = builder.Build();
app.MapGet("/health", () => Results.Json(new { status = "ok" }));
await app.RunAsync();

public partial class Program;
