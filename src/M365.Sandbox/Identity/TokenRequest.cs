using M365.Sandbox.Directory;
using Microsoft.AspNetCore.Http;

namespace M365.Sandbox.Identity;

/// <summary>A token request whose tenant and client are known; AppAuthentication is appidacr (0 public, 1 secret, 2 certificate).</summary>
internal sealed record TokenRequest(HttpContext Context, IFormCollection Form, string Tenant, SeededApp App, int AppAuthentication)
{
    public string? this[string name] => Form.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    public T Service<T>() where T : notnull => Context.RequestServices.GetRequiredService<T>();

    public Task MissingAsync(string parameter) => AadErrors.WriteAsync(
        Context, 400, "invalid_request", 900144, $"The request body must contain the following parameter: '{parameter}'.");
}
