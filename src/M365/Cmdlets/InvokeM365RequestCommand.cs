using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net.Http;
using M365.Core;
using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.Requests;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Sends a request to any Microsoft 365 service with the connection's token for that service.</para>
/// <para type="description">An absolute URL, or a relative one with -Service; retries, token refresh and safe paging come from the connection's pipeline.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "M365Request", DefaultParameterSetName = RequestSet, SupportsShouldProcess = true)]
[OutputType(typeof(PSObject), typeof(string))]
public sealed class InvokeM365RequestCommand : M365ConnectedCmdlet
{
    public const string RequestSet = "Request";
    public const string AllSet = "All";

    /// <summary>An absolute https URL, or a URL relative to -Service (e.g. v1.0/me).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Url")]
    public string Uri { get; set; } = string.Empty;

    /// <summary>The service a relative -Uri belongs to.</summary>
    [Parameter]
    [ValidateSet("Graph", "SharePoint", "SharePointAdmin", "SharePointMy", "Management", "AzureManagement", "Yammer", "AadGraph")]
    public string? Service { get; set; }

    /// <summary>The HTTP method. Default GET.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "MERGE")]
    public string Method { get; set; } = "GET";

    /// <summary>The body: a string is sent as is, anything else (hashtable, object, array) as JSON.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    public object? Body { get; set; }

    /// <summary>Extra request headers (never Authorization: the token is the module's business).</summary>
    [Parameter]
    public IDictionary? Headers { get; set; }

    /// <summary>The body's content type. Default application/json.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    public string? ContentType { get; set; }

    /// <summary>
    /// The token audience of your own API (its App ID URI, app id or https URL), bound to the request's https host. A Microsoft
    /// audience (Graph, SharePoint, …) is accepted only for its own host (else ResourceHostMismatch, nothing sent).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceCompleter))]
    public string? Resource { get; set; }

    /// <summary>Returns the body as a string instead of parsed objects.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    public SwitchParameter Raw { get; set; }

    /// <summary>Follows @odata.nextLink (same host only) and writes every item of every page as its page arrives.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>
    /// The largest answer body read into memory, in bytes (256MB works); a longer one fails with ResponseTooLarge. Default 64 MiB.
    /// With -All, the limit of each page.
    /// </summary>
    [Parameter]
    [ValidateRange(1L, HttpRetryOptions.MaxResponseBytesLimit)]
    public long MaximumResponseSize { get; set; }

    /// <summary>With -All, the most pages read; more fail with ODataPageLimitExceeded after the items read so far. Default 1,000.</summary>
    [Parameter(ParameterSetName = AllSet)]
    [ValidateRange(1, int.MaxValue)]
    public int MaximumPageCount { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolvedConnection;
        var request = new ServiceRequest(Uri)
        {
            Service = Service,
            Resource = Resource,
            Method = new HttpMethod(All ? "GET" : Method),
            ContentType = ContentType,
            MaximumResponseSize = MaximumResponseSize > 0 ? MaximumResponseSize : null,
            MaximumPageCount = MaximumPageCount > 0 ? MaximumPageCount : null,
        };
        foreach (DictionaryEntry header in Headers ?? new Hashtable())
        {
            request.Headers[header.Key.ToString()!] = LanguagePrimitives.ConvertTo<string>(header.Value);
        }

        try
        {
            request.Body = ServiceObjects.ToPlain(Body);
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorRecords.Create(ErrorIds.RequestBodyInvalid, ErrorCategory.InvalidArgument, Body, $"The body of {Method} {Uri} cannot be sent as JSON: {ex.Message}", "Pass a hashtable, a PSCustomObject or a JSON string; for a file, its text (Get-Content -Raw)."));
            return;
        }

        var client = new ServiceRequestClient(connection, VerboseSender(connection));
        try
        {
            if (All)
            {
                AwaitEach(ct => client.GetAllAsync(request, ct), item => WriteObject(ServiceObjects.FromJson(item)));
                return;
            }

            var reads = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
            // -WhatIf and -Confirm name the whole URL the request goes to, not the relative one typed.
            if (!reads && !ShouldProcess(RequestUrls.Shown(Await(ct => client.ResolveUriAsync(request, ct))), Method))
            {
                return;
            }

            var response = Await(ct => client.SendAsync(request, ct));
            if (Raw)
            {
                WriteObject(response.Body);
            }
            else if (response.Value is not null)
            {
                WriteObject(ServiceObjects.FromJson(response.Value), enumerateCollection: true);
            }
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            // A refused header is the failing input, not the URL.
            WriteInputError(ex, ex is M365Exception { ErrorId: ServiceErrorIds.RequestHeaderInvalid } header ? header.Target : Uri);
        }
    }
}
