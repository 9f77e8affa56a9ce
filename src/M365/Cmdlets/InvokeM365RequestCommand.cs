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
[OutputType(typeof(PSObject), typeof(string), typeof(System.Collections.Specialized.OrderedDictionary), typeof(HttpResponseMessage))]
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

    /// <summary>The body: a string is sent as is, a byte array as its bytes, anything else (hashtable, object, array) as JSON. For a file, -InFile.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    public object? Body { get; set; }

    /// <summary>Extra request headers (never Authorization: the token is the module's business).</summary>
    [Parameter]
    public IDictionary? Headers { get; set; }

    /// <summary>The body's content type. Default application/json; application/octet-stream for a byte array or -InFile.</summary>
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

    /// <summary>Returns the body as a string instead of parsed objects (as -OutputType Json).</summary>
    [Parameter(ParameterSetName = RequestSet)]
    public SwitchParameter Raw { get; set; }

    /// <summary>
    /// What to write: PSObject (default: PSCustomObjects), Hashtable (ordered, case-insensitive dictionaries), Json (the body
    /// string) or HttpResponseMessage (the answer, its body already read into memory; its request no longer holds the token).
    /// </summary>
    [Parameter(ParameterSetName = RequestSet)]
    public RequestOutputType OutputType { get; set; }

    /// <summary>A file to send as the body, streamed from disk (any size; sent once, never retried). Not with -Body.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNullOrEmpty]
    public string? InFile { get; set; }

    /// <summary>
    /// Writes the answer's body to this file as it arrives, with no size limit and bounded memory, instead of writing it to the
    /// pipeline; progress shows for a transfer of 1 MiB or more. The file is replaced only once the whole body arrived.
    /// </summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>The name of a variable (no $) that receives the answer's HTTP status as an int, as Invoke-RestMethod sets it; on a failed answer, its status.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNullOrEmpty]
    public string? StatusCodeVariable { get; set; }

    /// <summary>
    /// The name of a variable (no $) that receives the answer's headers, as Invoke-RestMethod sets it: a
    /// Dictionary[string, IEnumerable[string]] ignoring case. Never the request's headers, so never the token.
    /// </summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNullOrEmpty]
    public string? ResponseHeadersVariable { get; set; }

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
        var request = BuildRequest();
        if (request is null)
        {
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

            Send(client, request);
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            if (ex is M365ServiceException { StatusCode: int status })
            {
                SetVariable(StatusCodeVariable, status);
            }

            // A refused header or an unreadable file is the failing input, not the URL.
            WriteInputError(ex, ex is M365Exception { ErrorId: ServiceErrorIds.RequestHeaderInvalid or ServiceErrorIds.RequestFileNotFound or ServiceErrorIds.RequestOutFileFailed } input ? input.Target : Uri);
        }
    }

    private ServiceRequest? BuildRequest()
    {
        var request = new ServiceRequest(Uri)
        {
            Service = Service,
            Resource = Resource,
            Method = new HttpMethod(All ? "GET" : Method),
            ContentType = ContentType,
            MaximumResponseSize = MaximumResponseSize > 0 ? MaximumResponseSize : null,
            MaximumPageCount = MaximumPageCount > 0 ? MaximumPageCount : null,
            InFile = InFile is null ? null : GetUnresolvedProviderPathFromPSPath(InFile),
            Progress = InFile is null && OutFile is null ? null : ReportProgress,
        };
        foreach (DictionaryEntry header in Headers ?? new Hashtable())
        {
            request.Headers[header.Key.ToString()!] = LanguagePrimitives.ConvertTo<string>(header.Value);
        }

        if (Body is not null && InFile is not null)
        {
            WriteError(ErrorRecords.Create(ErrorIds.RequestBodyInvalid, ErrorCategory.InvalidArgument, Body, $"{Method} {Uri} was given both -Body and -InFile; nothing was sent.", "Pass the body either as -Body or as a file with -InFile."));
            return null;
        }

        try
        {
            request.Body = (Body is PSObject ps ? ps.BaseObject : Body) is byte[] bytes ? bytes : ServiceObjects.ToPlain(Body);
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorRecords.Create(ErrorIds.RequestBodyInvalid, ErrorCategory.InvalidArgument, Body, $"The body of {Method} {Uri} cannot be sent as JSON: {ex.Message}", "Pass a hashtable, a PSCustomObject, a JSON string or a byte array; for a file, -InFile."));
            return null;
        }

        return request;
    }

    private void Send(ServiceRequestClient client, ServiceRequest request)
    {
        if (OutFile is not null)
        {
            var path = GetUnresolvedProviderPathFromPSPath(OutFile);
            var saved = Await(ct => client.DownloadAsync(request, path, ct));
            SetVariables(saved.StatusCode, saved.HeaderValues);
            WriteVerbose($"Wrote {saved.BytesWritten:N0} bytes to {path}.");
            return;
        }

        if (OutputType == RequestOutputType.HttpResponseMessage)
        {
            var message = Await(ct => client.SendForMessageAsync(request, ct));
            SetVariable(StatusCodeVariable, (int)message.StatusCode);
            if (ResponseHeadersVariable is not null)
            {
                SetVariable(ResponseHeadersVariable, RequestOutput.Headers(message));
            }

            WriteObject(message);
            return;
        }

        var response = Await(ct => client.SendAsync(request, ct));
        SetVariables(response.StatusCode, response.HeaderValues);
        if (Raw || OutputType == RequestOutputType.Json)
        {
            WriteObject(response.Body);
        }
        else if (response.Value is not null)
        {
            WriteObject(OutputType == RequestOutputType.Hashtable ? RequestOutput.ToHashtable(response.Value) : ServiceObjects.FromJson(response.Value), enumerateCollection: true);
        }
    }

    private void SetVariables(int status, IReadOnlyDictionary<string, string[]> headers)
    {
        SetVariable(StatusCodeVariable, status);
        if (ResponseHeadersVariable is not null)
        {
            SetVariable(ResponseHeadersVariable, RequestOutput.Headers(headers));
        }
    }

    // As Invoke-RestMethod: in the caller's scope.
    private void SetVariable(string? name, object value)
    {
        if (name is not null)
        {
            SessionState.PSVariable.Set(name, value);
        }
    }

    private void ReportProgress(TransferProgress progress)
    {
        var record = new ProgressRecord(
            20,
            $"Invoke-M365Request {(progress.IsUpload ? "uploading" : "downloading")}",
            progress.TotalBytes is long total ? $"{Mib(progress.Bytes)} of {Mib(total)}" : Mib(progress.Bytes))
        {
            PercentComplete = progress.Percent ?? -1,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        Post(() => WriteProgress(record));
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MiB";
}
