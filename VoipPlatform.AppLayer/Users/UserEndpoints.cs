using StackExchange.Redis;
using VoipPlatform.AppLayer.Problems;
using VoipPlatform.AppLayer.Storage;
using VoipPlatform.AppLayer.Validation;
using VoipPlatform.Contracts.Users;

namespace VoipPlatform.AppLayer.Users;

/// <summary>
/// <c>/v1/domains/{domain}/users</c>: users and, separately, their credentials for the registrar. Ordinary reads
/// return <see cref="UserResponse"/>, which has no HA1.
/// </summary>
public static class UserEndpoints
{
    private const string Tag = "Users";

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/domains/{domain}/users").WithTags(Tag);

        group.MapGet("/", async (string domain, UserStore store) =>
                SipNames.TryNormalizeDomain(domain, out string name) && await store.ListAsync(name) is { } users
                    ? TypedResults.Ok(users.Select(u => u.ToResponse()).ToList())
                    : ApiProblems.DomainNotServed(domain))
            .WithName("ListUsers")
            .WithSummary("List a domain's users (no credentials).")
            .Produces<List<UserResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{user}", async (string domain, string user, UserStore store) =>
                await FindAsync(store, domain, user) is { } found
                    ? TypedResults.Ok(found.ToResponse())
                    : UserNotFound(domain, user))
            .WithName("GetUser")
            .WithSummary("Get a user (no credentials).")
            .Produces<UserResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{user}/credentials", async (string domain, string user, UserStore store) =>
                await FindAsync(store, domain, user) is { } found
                    ? TypedResults.Ok(found.ToCredentials())
                    : UserNotFound(domain, user))
            .WithName("GetUserCredentials")
            .WithSummary("For the registrar: the user's HA1 digests (MD5 and SHA-256 of user:realm:password) and enabled flag.")
            .WithDescription("The only endpoint that returns HA1. The password itself is never stored.")
            .Produces<UserCredentials>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (string domain, CreateUserRequest request, UserStore store) =>
            {
                var errors = UserValidation.ValidateCreate(request);
                if (errors.HasErrors) return errors.ToResult();
                if (!SipNames.TryNormalizeDomain(domain, out string realm)) return ApiProblems.DomainNotServed(domain);

                string user = request.User!;
                var stored = new StoredUser(
                    user,
                    realm,
                    request.DisplayName ?? user,
                    request.Enabled ?? true,
                    Ha1Digest.Md5(user, realm, request.Password!),
                    Ha1Digest.Sha256(user, realm, request.Password!),
                    request.NoAnswerSeconds ?? UserDefaults.NoAnswerSeconds,
                    request.VoicemailEnabled ?? UserDefaults.VoicemailEnabled,
                    request.Language ?? UserDefaults.Language);
                return ApiProblems.From(await store.CreateAsync(stored),
                    () => TypedResults.Created($"/v1/domains/{realm}/users/{user}", stored.ToResponse()));
            })
            .WithName("CreateUser")
            .WithSummary("Create a user. Takes the password in clear and stores only its HA1 digests.")
            .WithDescription("404 when the domain is not served; 409 when the user, or a number with the same name, exists.")
            .Produces<UserResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPatch("/{user}", async (string domain, string user, UpdateUserRequest request, UserStore store) =>
            {
                var errors = UserValidation.ValidateUpdate(request);
                if (errors.HasErrors) return errors.ToResult();
                if (!SipNames.TryNormalizeDomain(domain, out string realm) || !SipNames.IsValidUser(user)) return UserNotFound(domain, user);

                var outcome = await store.UpdateAsync(realm, user, Changes(realm, user, request));
                return outcome.Succeeded && await store.GetAsync(realm, user) is { } updated
                    ? TypedResults.Ok(updated.ToResponse())
                    : ApiProblems.From(outcome, () => UserNotFound(domain, user));
            })
            .WithName("UpdateUser")
            .WithSummary("Change some of a user's settings; a new password recomputes both HA1 digests.")
            .Produces<UserResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{user}", async (string domain, string user, UserStore store) =>
                SipNames.TryNormalizeDomain(domain, out string realm) && SipNames.IsValidUser(user)
                    ? ApiProblems.From(await store.DeleteAsync(realm, user), TypedResults.NoContent)
                    : UserNotFound(domain, user))
            .WithName("DeleteUser")
            .WithSummary("Delete a user and its call rule. 409 while a number or another user's forward points at it.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<StoredUser?> FindAsync(UserStore store, string domain, string user) =>
        SipNames.TryNormalizeDomain(domain, out string realm) && SipNames.IsValidUser(user) ? await store.GetAsync(realm, user) : null;

    private static IResult UserNotFound(string domain, string user) => ApiProblems.NotFound($"User {user}@{domain} does not exist.");

    private static List<HashEntry> Changes(string realm, string user, UpdateUserRequest request)
    {
        var changes = new List<HashEntry>();
        if (request.DisplayName is { } displayName) changes.Add(new(UserFields.DisplayName, displayName));
        if (request.Password is { } password)
        {
            changes.Add(new(UserFields.Ha1Md5, Ha1Digest.Md5(user, realm, password)));
            changes.Add(new(UserFields.Ha1Sha256, Ha1Digest.Sha256(user, realm, password)));
        }
        if (request.Enabled is { } enabled) changes.Add(new(UserFields.Enabled, enabled));
        if (request.NoAnswerSeconds is { } seconds) changes.Add(new(UserFields.NoAnswerSeconds, seconds));
        if (request.VoicemailEnabled is { } voicemail) changes.Add(new(UserFields.VoicemailEnabled, voicemail));
        if (request.Language is { } language) changes.Add(new(UserFields.Language, language));
        return changes;
    }
}
