using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests;

/// <summary>Builds authorize URLs and reads the sandbox's answers (pages, form_post fields, redirects) as a browser would.</summary>
internal static partial class AuthorizeFlow
{
    public const string GraphScope = "https://graph.microsoft.com/.default openid profile offline_access";

    public static readonly Guid Pnp = SandboxSeed.PnpManagementShellAppId;

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string Url(string origin, params (string Name, string? Value)[] parameters) => Url(origin, "organizations/oauth2/v2.0/authorize", parameters);

    public static string Url(string origin, string path, params (string Name, string? Value)[] parameters) =>
        $"{origin}/{path}?" + string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    /// <summary>A v2 form_post request for the PnP app with PKCE; extra parameters are added or replace these.</summary>
    public static string V2(string origin, string redirectUri, string challenge, string state, params (string Name, string? Value)[] extra)
    {
        var parameters = new List<(string Name, string? Value)>
        {
            ("client_id", Pnp.ToString()), ("response_type", "code"), ("redirect_uri", redirectUri), ("scope", GraphScope),
            ("code_challenge", challenge), ("code_challenge_method", "S256"), ("state", state), ("response_mode", "form_post"),
            ("client_info", "1"), ("prompt", "select_account"),
        };
        foreach (var e in extra)
        {
            parameters.RemoveAll(p => p.Name == e.Name);
            parameters.Add(e);
        }

        return Url(origin, parameters.ToArray());
    }

    /// <summary>The action and fields of the page's first form, decoded.</summary>
    public static (string Action, Dictionary<string, string> Fields) Form(string html)
    {
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        return (action, fields);
    }

    /// <summary>The fields of a redirect's query (or fragment).</summary>
    public static Dictionary<string, string> Redirected(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var query = location[(location.IndexOfAny(new[] { '?', '#' }) + 1)..];
        return query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
    }

    public static async Task<HttpResponseMessage> RedeemAsync(TemporarySandbox sandbox, string code, string redirectUri, string? verifier, Guid? client = null, string scope = GraphScope)
    {
        var fields = new List<(string, string)>
        {
            ("grant_type", "authorization_code"), ("client_id", (client ?? Pnp).ToString()), ("code", code), ("redirect_uri", redirectUri),
            ("scope", scope), ("client_info", "1"),
        };
        if (verifier is not null)
        {
            fields.Add(("code_verifier", verifier));
        }

        return await sandbox.PostFormAsync(sandbox.Token, fields.ToArray());
    }

    public static async Task<JsonElement> TokensAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static Task<HttpResponseMessage> PostPageAsync(TemporarySandbox sandbox, string origin, string action, params (string Name, string Value)[] fields) =>
        sandbox.PostFormAsync(origin + action, fields);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
