using MicAi.Core;
using MicAi.Core.Storage;
using MicAi.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// An adapter over Core, like MicAi.Host: the same composition root, no behaviour of its own.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddMicAiCore();
builder.Services.AddOptions<WorkerPollOptions>()
    .Configure<IConfiguration>((o, c) => o.Read(c[WorkerPollOptions.BudgetKey]))
    .ValidateDataAnnotations()
    .ValidateOnStart();

var app = builder.Build();
// Like every Host role: the schema is brought up to date (under an advisory lock) before any function runs.
await app.Services.GetRequiredService<Migrator>().ApplyAsync(CancellationToken.None);
await app.RunAsync();
