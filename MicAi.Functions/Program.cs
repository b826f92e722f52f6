using MicAi.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// An adapter over Core, like MicAi.Host: the same composition root, no behaviour of its own.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddMicAiFunctions();
await builder.Build().RunAsync();
