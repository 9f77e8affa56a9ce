namespace M365.Sandbox.Identity;

/// <summary>Why Entra ID refuses a client assertion: the HTTP status, OAuth error, AADSTS code and description.</summary>
public sealed record AssertionFailure(int Status, string Error, int Code, string Description)
{
    public static AssertionFailure InvalidClient(int code, string description) => new(401, "invalid_client", code, description);

    public static AssertionFailure InvalidRequest(int code, string description) => new(400, "invalid_request", code, description);
}
