using VoipPlatform.MediaAgent.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMediaAgent();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
