using System;
using System.Threading;
using System.Threading.Tasks;
using System.Management.Automation;
using M365.Core;
using M365.Core.Resources;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets an access token of the connection for one resource, from the token store (silently refreshed when needed).</para>
/// <para type="description">The only command that shows a token, because you asked for it. -Decoded adds the token's claims.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365AccessToken", DefaultParameterSetName = ResourceSet)]
[OutputType(typeof(M365AccessTokenResult), typeof(M365SecureAccessTokenResult))]
public sealed class GetM365AccessTokenCommand : M365ConnectedCmdlet
{
    public const string ResourceSet = "Resource";
    public const string UrlSet = "Url";

    /// <summary>Graph (default), SharePoint, SharePointAdmin, SharePointMy, Management, AzureManagement, Yammer, AadGraph, a resource URL, or your own API's App ID URI (api://…) or app id.</summary>
    [Parameter(ParameterSetName = ResourceSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceCompleter))]
    public ResourceName[] Resource { get; set; } = { ResourceName.Parse("Graph") };

    /// <summary>A request URL; its origin picks the resource.</summary>
    [Parameter(Mandatory = true, ParameterSetName = UrlSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Uri[]? Url { get; set; }

    /// <summary>Gets a new token even when the cached one is still valid.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Adds the token's claims.</summary>
    [Parameter]
    public SwitchParameter Decoded { get; set; }

    /// <summary>Returns the token as a SecureString (for APIs that take one), never as plain text.</summary>
    [Parameter]
    public SwitchParameter AsSecureString { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolvedConnection;
        if (ParameterSetName == UrlSet)
        {
            foreach (var url in Url!)
            {
                Emit(url, _ => Task.FromResult(connection.Resources.FromUrl(url)));
            }
        }
        else
        {
            foreach (var resource in Resource)
            {
                var name = resource.Value;
                Emit(name, ct => connection.ResolveResourceAsync(name, VerboseSender(connection), ct));
            }
        }
    }

    private void Emit(object target, Func<CancellationToken, Task<M365Resource>> resolve)
    {
        var connection = ResolvedConnection;
        try
        {
            var resource = Await(resolve);
            WriteVerbose($"Getting a token for {resource.ResourceId} from connection '{connection.Name}'{(Force ? " (forced refresh)" : string.Empty)}.");
            var token = Await(ct => connection.Tokens.GetTokenAsync(resource, Force.IsPresent, ct));
            WriteObject(DefaultDisplay.Token(AsSecureString
                ? new M365SecureAccessTokenResult(token, connection.Name, Decoded)
                : new M365AccessTokenResult(token, connection.Name, Decoded)));
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            WriteError(ErrorRecords.From(ex, target));
        }
    }
}
