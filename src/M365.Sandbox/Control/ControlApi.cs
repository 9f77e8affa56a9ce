namespace M365.Sandbox.Control;

/// <summary>Where the control API lives: /_sandbox on the bare loopback host only, never under a Microsoft host name.</summary>
internal static class ControlApi
{
    public const string Prefix = "/_sandbox";

    public static readonly string[] Hosts = { "127.0.0.1", "localhost" };

    public static bool IsLoopbackHost(HttpRequest request) =>
        Hosts.Contains(request.Host.Host, StringComparer.OrdinalIgnoreCase);

    public static bool IsControlRequest(HttpRequest request) =>
        IsLoopbackHost(request) && request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);
}
