using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>
/// Browser sign-in: <c>GET /{tenant}/oauth2/v2.0/authorize</c> and v1 <c>GET /{tenant}/oauth2/authorize</c>, with the
/// sign-in page (<c>POST /{tenant}/login</c>) and the consent page (<c>POST /{tenant}/Consent/Set</c>) under
/// <c>serve --interactive-approval</c>; without it the authorize request is approved at once, as device codes are.
/// </summary>
internal static class AuthorizeEndpoint
{
    private const string AccountOrPasswordIncorrect = "Your account or password is incorrect. If you don't remember your password, reset it now.";

    public static Task AuthorizeV2Async(HttpContext context, string tenant) => AuthorizeAsync(context, tenant, v1: false);

    public static Task AuthorizeV1Async(HttpContext context, string tenant) => AuthorizeAsync(context, tenant, v1: true);

    public static async Task SignInAsync(HttpContext context, string tenant)
    {
        var (session, form) = await FindSessionAsync(context);
        if (session is null)
        {
            return;
        }

        var request = session.Request;
        if (session.User is { } signedIn)
        {
            // A second post of the sign-in form after the password was accepted: consent is what is left.
            await SignInPages.ConsentAsync(context, session, signedIn);
            return;
        }

        if (form!["action"].ToString() == "cancel")
        {
            if (await EndAsync(context, session))
            {
                await AuthorizeAnswer.ErrorAsync(context, request, "access_denied", null, "The user has cancelled the sign-in.", subcode: "cancel");
            }

            return;
        }

        var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
        var account = form["login"].ToString().Trim();
        var user = directory.FindUser(account);
        if (user is null)
        {
            await SignInPages.SignInAsync(context, session, directory, account,
                account.Length == 0 ? "Enter a valid email address, phone number, or Skype name." : "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.");
            return;
        }

        if (user.Password is null || !PasswordGrant.FixedTimeEquals(user.Password, form["passwd"].ToString()))
        {
            await SignInPages.SignInAsync(context, session, directory, account, AccountOrPasswordIncorrect);
            return;
        }

        await AfterSignInAsync(context, request, user, session);
    }

    public static async Task ConsentAsync(HttpContext context, string tenant)
    {
        var (session, form) = await FindSessionAsync(context);
        if (session is null)
        {
            return;
        }

        if (session.User is not { } user)
        {
            await SignInPages.ErrorAsync(context, 50089, "Authentication failed due to flow token expired. Sign in first.");
            return;
        }

        if (!await EndAsync(context, session))
        {
            return;
        }

        var request = session.Request;
        if (form!["action"].ToString() != "accept")
        {
            await AuthorizeAnswer.ErrorAsync(context, request, "access_denied", 65004, "User declined to consent to access the app.");
            return;
        }

        context.RequestServices.GetRequiredService<TenantDirectory>().GrantConsent(request.App.AppId, request.Resource.Service, request.Resource.Permissions);
        await AuthorizeAnswer.CodeAsync(context, request, user);
    }

    private static async Task AuthorizeAsync(HttpContext context, string tenant, bool v1)
    {
        var request = await AuthorizeRequestReader.ReadAsync(context, tenant, v1);
        if (request is null)
        {
            return;
        }

        var services = context.RequestServices;
        var directory = services.GetRequiredService<TenantDirectory>();
        if (services.GetRequiredService<SandboxOptions>().InteractiveApproval)
        {
            var session = services.GetRequiredService<AuthorizationCodeStore>().Begin(request);
            await SignInPages.SignInAsync(context, session, directory, request.LoginHint ?? string.Empty, null);
            return;
        }

        // Auto-approval signs in as the hinted user when the tenant has one, else as device codes do.
        var user = (request.LoginHint is { } hint ? directory.FindUser(hint) : null) ?? directory.Seed.DefaultUser;
        await AfterSignInAsync(context, request, user, session: null);
    }

    // Conditional Access, then consent: given, asked of an admin on the consent page, or refused (no admin, no page).
    private static async Task AfterSignInAsync(HttpContext context, AuthorizationRequest request, SeededUser user, SignInSession? session)
    {
        var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
        var consented = ConsentCheck.Consented(directory, request.App, request.Resource, user, out var consentCode) is not null;
        if (session is not null && consented is false && consentCode == ConsentCheck.ConsentRequired && user.IsAdmin && !user.BlockedByConditionalAccess)
        {
            session.User = user;
            await SignInPages.ConsentAsync(context, session, user);
            return;
        }

        if (session is not null && !await EndAsync(context, session))
        {
            return;
        }

        if (user.BlockedByConditionalAccess)
        {
            await AuthorizeAnswer.ErrorAsync(context, request, "access_denied", 53003,
                "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");
        }
        else if (!consented)
        {
            await AuthorizeAnswer.ErrorAsync(context, request, consentCode == ConsentCheck.ConsentRequired ? "consent_required" : "invalid_request", consentCode,
                ConsentCheck.Describe(consentCode, request.App, request.Resource));
        }
        else
        {
            await AuthorizeAnswer.CodeAsync(context, request, user);
        }
    }

    private static async Task<(SignInSession? Session, IFormCollection? Form)> FindSessionAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        var session = form is null ? null : context.RequestServices.GetRequiredService<AuthorizationCodeStore>().FindSession(form["ctx"].ToString());
        if (session is null)
        {
            await SignInPages.ErrorAsync(context, 50089, "Authentication failed due to flow token expired. Start the sign-in again from the application.");
        }

        return (session, form);
    }

    // A double submit must not issue two codes: only the request that ends the session answers.
    private static async Task<bool> EndAsync(HttpContext context, SignInSession session)
    {
        if (context.RequestServices.GetRequiredService<AuthorizationCodeStore>().End(session))
        {
            return true;
        }

        await SignInPages.ErrorAsync(context, 50089, "Authentication failed due to flow token expired. This sign-in was already completed.");
        return false;
    }
}
