namespace M365.PowerShell.Models;

/// <summary>What Invoke-M365Request writes for an answer (-OutputType), as Invoke-MgGraphRequest names them.</summary>
public enum RequestOutputType
{
    /// <summary>The parsed JSON as PSCustomObjects (a top-level array enumerated); text that is not JSON as a string.</summary>
    PSObject,

    /// <summary>The parsed JSON as ordered, case-insensitive dictionaries (as <c>[ordered]@{}</c>); arrays as object arrays.</summary>
    Hashtable,

    /// <summary>The body as the service sent it, one string (what -Raw gives).</summary>
    Json,

    /// <summary>The System.Net.Http.HttpResponseMessage, its body already read into memory (within -MaximumResponseSize).</summary>
    HttpResponseMessage,
}
