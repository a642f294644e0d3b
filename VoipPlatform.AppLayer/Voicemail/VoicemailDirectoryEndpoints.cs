using VoipPlatform.AppLayer.Users;
using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Voicemail;

/// <summary>
/// The mailbox directory Asterisk reads over HTTP (realtime family <c>voicemail</c> through <c>res_config_curl</c>,
/// containers/asterisk/extconfig.conf), so no mailbox is configured in any application server: a mailbox is an
/// enabled user with voicemail on, its voicemail context is the user's domain. Asterisk POSTs the lookup fields
/// form-encoded to <c>…/single</c> (one row) or <c>…/multi</c> (rows, one per line) and reads
/// <c>key=value&amp;…</c> back; an empty body is "no such mailbox". No password is handed out: PINs come with the call
/// (X-VP-App-Pin) and are checked by the dialplan (docs/application-layer.md).
/// </summary>
public static class VoicemailDirectoryEndpoints
{
    /// <summary>Base path; the entrypoint writes <c>voicemail =&gt; curl,{API}/v1/voicemail/realtime</c>.</summary>
    public const string BasePath = "/v1/voicemail/realtime";

    private const string Tag = "Voicemail";
    private const string MailboxField = "mailbox";
    private const string ContextField = "context";

    public static IEndpointRouteBuilder MapVoicemailDirectoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost($"{BasePath}/single", async (HttpRequest request, UserStore users) =>
                TypedResults.Text(await RowAsync(request, users) ?? "", "text/plain"))
            .WithTags(Tag)
            .WithName("VoicemailRealtimeSingle")
            .WithSummary("Asterisk realtime lookup of one mailbox (mailbox and context form fields): key=value&... or empty.")
            .DisableAntiforgery();
        app.MapPost($"{BasePath}/multi", async (HttpRequest request, UserStore users) =>
                TypedResults.Text(await RowAsync(request, users) is { } row ? row + "\n" : "", "text/plain"))
            .WithTags(Tag)
            .WithName("VoicemailRealtimeMulti")
            .WithSummary("Asterisk realtime lookup of several mailboxes: one key=value&... line per mailbox (at most one here).")
            .DisableAntiforgery();
        // Asterisk asks at load whether the store has the columns it needs; every field is answered as text.
        app.MapPost($"{BasePath}/require", () => TypedResults.Text("0", "text/plain"))
            .WithTags(Tag)
            .WithName("VoicemailRealtimeRequire")
            .WithSummary("Asterisk realtime column check: always 0 (the directory answers every field it knows).")
            .DisableAntiforgery();
        return app;
    }

    /// <returns>The mailbox row, or null when the lookup names no enabled user with voicemail on.</returns>
    private static async Task<string?> RowAsync(HttpRequest request, UserStore users)
    {
        if (!request.HasFormContentType) return null;
        IFormCollection form = await request.ReadFormAsync();
        string mailbox = form[MailboxField].ToString(), context = form[ContextField].ToString();
        if (!SipNames.IsValidUser(mailbox) || !SipNames.TryNormalizeDomain(context, out string domain)) return null;
        if (await users.GetAsync(domain, mailbox) is not { Enabled: true, VoicemailEnabled: true } user) return null;
        return string.Join('&', new (string Key, string Value)[]
        {
            ("uniqueid", $"{user.Domain}/{user.User}"),
            (ContextField, user.Domain),
            (MailboxField, user.User),
            ("fullname", user.DisplayName),
            ("password", ""),
            ("language", user.Language),
        }.Select(field => $"{field.Key}={Uri.EscapeDataString(field.Value)}"));
    }
}
