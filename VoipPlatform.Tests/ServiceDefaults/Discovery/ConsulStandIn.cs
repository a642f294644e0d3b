using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.Tests.ServiceDefaults.Discovery;

/// <summary>
/// Stands in for a Consul agent's HTTP API, because Consul has no Debian or NuGet package on this machine: Kestrel on
/// a loopback port that records every request (method, path, query, JSON body) and answers 200, or 500 with Consul's
/// "No cluster leader" text for the next requests when told to (an agent that is not ready, or restarting).
/// </summary>
public sealed class ConsulStandIn : IAsyncDisposable
{
    /// <summary>What Consul answers while it has no leader, as plain text.</summary>
    public const string NoLeaderBody = "No cluster leader";

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly List<Request> _requests = [];
    private readonly WebApplication _app;
    private int _failuresLeft;

    private ConsulStandIn(WebApplication app)
    {
        _app = app;
        _app.Run(AnswerAsync);
    }

    /// <summary>One request as the agent saw it, and the status the stand-in answered.</summary>
    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Query, JsonElement? Body, int Status)
    {
        public override string ToString() => $"{Method} {Path}{(Query.Count > 0 ? "?" + string.Join('&', Query.Select(q => $"{q.Key}={q.Value}")) : "")}";
    }

    /// <summary>The agent address to configure (<c>Consul:Address</c>).</summary>
    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<Request> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <param name="failFirst">How many requests to answer 500 before answering 200.</param>
    public static async Task<ConsulStandIn> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var standIn = new ConsulStandIn(builder.Build());
        standIn.FailNext(failFirst);
        await standIn._app.StartAsync();
        standIn.Address = new Uri(standIn._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return standIn;
    }

    /// <summary>Answers the next <paramref name="count"/> requests, whatever they are, with 500.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    /// <summary>Waits until a request matching <paramref name="match"/> arrived after the first <paramref name="skip"/> ones.</summary>
    /// <returns>Its index in <see cref="Requests"/>.</returns>
    public async Task<int> WaitForAsync(Func<Request, bool> match, string what, int skip = 0)
    {
        using var timeout = new CancellationTokenSource(DefaultWait);
        while (!timeout.IsCancellationRequested)
        {
            var requests = Requests;
            for (int i = skip; i < requests.Count; i++)
            {
                if (match(requests[i])) return i;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"No {what} within {DefaultWait.TotalSeconds} s; the stand-in saw: {string.Join(", ", Requests)}");
    }

    private async Task AnswerAsync(HttpContext context)
    {
        JsonElement? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
        }
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        bool fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
        int status = fail ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        lock (_requests) _requests.Add(new Request(context.Request.Method, context.Request.Path.Value!, query, body, status));

        context.Response.StatusCode = status;
        if (fail) await context.Response.WriteAsync(NoLeaderBody);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
