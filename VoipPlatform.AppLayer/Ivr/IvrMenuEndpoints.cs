using System.Text.RegularExpressions;
using VoipPlatform.AppLayer.Numbers;
using VoipPlatform.AppLayer.Problems;
using VoipPlatform.AppLayer.Validation;

namespace VoipPlatform.AppLayer.Ivr;

/// <summary>
/// <c>/v1/domains/{domain}/ivr-menus/{menu}</c>: the menus <c>ivr</c> numbers run, and the form the Asterisk dialplan
/// fetches per call (<c>…/dialplan</c>, read with <c>CURL()</c> and <c>CURLOPT(hashcompat)</c>).
/// </summary>
public static partial class IvrMenuEndpoints
{
    private const string Tag = "IVR menus";
    private const int DefaultTimeoutSeconds = 5;
    private const int MaxTimeoutSeconds = 30;

    public static IEndpointRouteBuilder MapIvrMenuEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/domains/{domain}/ivr-menus/{menu}").WithTags(Tag);

        group.MapGet("/", async (string domain, string menu, IvrMenuStore menus) =>
                await FindAsync(domain, menu, menus) is { } found ? TypedResults.Ok(found) : MenuNotFound(domain, menu))
            .WithName("GetIvrMenu")
            .WithSummary("Get an IVR menu.")
            .Produces<IvrMenu>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/dialplan", async (string domain, string menu, IvrMenuStore menus) =>
                await FindAsync(domain, menu, menus) is { } found ? TypedResults.Text(DialplanForm(found), "text/plain") : MenuNotFound(domain, menu))
            .WithName("GetIvrMenuForDialplan")
            .WithSummary("An IVR menu as the Asterisk dialplan reads it: prompt=…&choices=…&timeout=…&target<digit>=… (one line).")
            .Produces<string>(contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/", async (string domain, string menu, IvrMenuRequest request, IvrMenuStore menus) =>
            {
                var errors = Validate(menu, request);
                if (errors.HasErrors) return errors.ToResult();
                if (!SipNames.TryNormalizeDomain(domain, out string realm)) return ApiProblems.DomainNotServed(domain);
                var stored = new IvrMenu(menu, realm, request.Prompt!, request.TimeoutSeconds ?? DefaultTimeoutSeconds,
                    new SortedDictionary<string, string>(request.Choices!, StringComparer.Ordinal));
                return ApiProblems.From(await menus.PutAsync(stored), () => TypedResults.Ok(stored));
            })
            .WithName("PutIvrMenu")
            .WithSummary("Create or replace an IVR menu: a prompt, and the user or number each digit 0-9 leads to.")
            .Produces<IvrMenu>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/", async (string domain, string menu, IvrMenuStore menus) =>
                SipNames.TryNormalizeDomain(domain, out string realm) && ApplicationCatalog.ValuePattern().IsMatch(menu) && await menus.DeleteAsync(realm, menu)
                    ? TypedResults.NoContent()
                    : MenuNotFound(domain, menu))
            .WithName("DeleteIvrMenu")
            .WithSummary("Delete an IVR menu.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>
    /// <c>key=value&amp;…</c> for <c>CURLOPT(hashcompat)</c>: the valid digits in <c>choices</c> (a regex character
    /// class in the dialplan), each digit's target in <c>target&lt;digit&gt;</c>. Every value is a token, so nothing
    /// here needs escaping, but it is escaped anyway.
    /// </summary>
    private static string DialplanForm(IvrMenu menu) =>
        string.Join('&', new[]
            {
                ("prompt", menu.Prompt),
                ("choices", string.Concat(menu.Choices.Keys)),
                ("timeout", menu.TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }
            .Concat(menu.Choices.Select(choice => ($"target{choice.Key}", choice.Value)))
            .Select(field => $"{field.Item1}={Uri.EscapeDataString(field.Item2)}"));

    private static async Task<IvrMenu?> FindAsync(string domain, string menu, IvrMenuStore menus) =>
        SipNames.TryNormalizeDomain(domain, out string realm) && ApplicationCatalog.ValuePattern().IsMatch(menu)
            ? await menus.GetAsync(realm, menu)
            : null;

    private static ValidationErrors Validate(string menu, IvrMenuRequest request)
    {
        var errors = new ValidationErrors();
        if (!ApplicationCatalog.ValuePattern().IsMatch(menu)) errors.Add("menu", "1 to 64 of letters, digits, '.', '_', '+', '-'.");
        if (request.Prompt is not { } prompt || !PromptPattern().IsMatch(prompt))
        {
            errors.Add("prompt", "Required: an Asterisk sound name, 1 to 64 of letters, digits, '.', '_', '+', '-', not starting with '.'.");
        }
        if (request.TimeoutSeconds is { } timeout && timeout is < 1 or > MaxTimeoutSeconds) errors.Add("timeoutSeconds", $"1 to {MaxTimeoutSeconds}.");
        if (request.Choices is not { Count: > 0 } choices)
        {
            errors.Add("choices", "Required: at least one digit and its target.");
            return errors;
        }
        foreach (var (digit, target) in choices)
        {
            if (!DigitPattern().IsMatch(digit)) errors.Add($"choices.{digit}", "A choice is one digit, 0 to 9.");
            else if (!SipNames.IsValidUser(target) && !SipNames.IsValidNumber(target)) errors.Add($"choices.{digit}", "A user or number of the domain.");
        }
        return errors;
    }

    private static IResult MenuNotFound(string domain, string menu) => ApiProblems.NotFound($"IVR menu {menu} of {domain} does not exist.");

    [GeneratedRegex(@"^[0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex DigitPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex PromptPattern();
}
