using System;

namespace M365.PowerShell.Models;

/// <summary>
/// A value of -Resource: a name (Graph, SharePoint, …), a resource URL, or your own API's App ID URI (api://…) or app id. Its own type, so that only strings convert to
/// it: a connection piped to Get-M365AccessToken binds -Connection and is never read as a resource name.
/// </summary>
public sealed class ResourceName
{
    private ResourceName(string value) => Value = value;

    public string Value { get; }

    /// <summary>PowerShell converts strings with it.</summary>
    public static ResourceName Parse(string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("A resource name must not be empty.") : new ResourceName(value.Trim());

    public override string ToString() => Value;
}
