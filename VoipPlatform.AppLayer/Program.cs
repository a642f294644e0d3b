using Scalar.AspNetCore;
using VoipPlatform.AppLayer.Status;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Connection string "redis" comes from the AppHost (container or local redis-server alike);
// the integration also adds a Redis health check to /health.
builder.AddRedisClient("redis");
builder.Services.AddOpenApi();
builder.Services.AddSingleton<RedisProbe>();

var app = builder.Build();

app.MapOpenApi();                 // /openapi/v1.json
app.MapScalarApiReference();      // /scalar
app.MapDefaultEndpoints();
app.MapStatusEndpoints();

app.Run();
