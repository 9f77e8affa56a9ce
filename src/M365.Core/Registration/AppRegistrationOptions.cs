using System;
using System.Collections.Generic;

namespace M365.Core.Registration
{
    /// <summary>What to register.</summary>
    public sealed class AppRegistrationOptions
    {
        public const string DefaultDisplayName = "M365 PowerShell";

        public string DisplayName { get; set; } = DefaultDisplayName;

        /// <summary>The permissions (<see cref="PermissionRequest.Parse(IEnumerable{string}, bool)"/>): delegated, or application ones when <see cref="AppOnly"/>.</summary>
        public IReadOnlyList<PermissionRequest> Permissions { get; set; } = PermissionRequest.Parse(null);

        /// <summary>
        /// An app-only registration: application permissions (app roles, granted by appRoleAssignments) instead of delegated
        /// ones, and a confidential client (no public client flows). Implied by <see cref="FederatedCredentials"/>.
        /// </summary>
        public bool AppOnly { get; set; }

        /// <summary>The certificate (its public part is enough) to add to the app's keyCredentials, or null.</summary>
        public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

        /// <summary>The pipelines that may sign in as the app with their OIDC token (federatedIdentityCredentials).</summary>
        public IReadOnlyList<FederatedCredentialRequest> FederatedCredentials { get; set; } = Array.Empty<FederatedCredentialRequest>();

        /// <summary>Takes over an app of the same name that this command did not make (marks it and brings it up to date).</summary>
        public bool Force { get; set; }

        /// <summary>How long to wait for the new app to replicate.</summary>
        public TimeSpan ReplicationTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Asked before each Graph write with a description of the call; false skips it (-WhatIf, -Confirm). Default: all approved.</summary>
        public Func<string, System.Threading.Tasks.Task<bool>> Approve { get; set; } = _ => System.Threading.Tasks.Task.FromResult(true);

        /// <summary>Progress lines (waiting for replication).</summary>
        public Action<string>? Progress { get; set; }

        /// <summary>Verbose lines (each step); never a token.</summary>
        public Action<string>? Verbose { get; set; }
    }
}
