using System;
using M365.Core.Authentication.Persistence;

namespace M365.PowerShell.Infrastructure;

/// <summary>Where -PersistLogin keeps token caches: ~/.m365, or $env:M365_TOKEN_CACHE_DIRECTORY.</summary>
internal static class TokenCacheLocation
{
    public const string Variable = "M365_TOKEN_CACHE_DIRECTORY";

    public static PersistenceOptions Options()
    {
        var directory = Environment.GetEnvironmentVariable(Variable);
        return new PersistenceOptions
        {
            CacheDirectory = string.IsNullOrWhiteSpace(directory) ? PersistenceOptions.DefaultCacheDirectory : directory!.Trim(),
        };
    }
}
