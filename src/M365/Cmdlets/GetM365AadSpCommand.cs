using System;
using System.Collections.Generic;
using System.Management.Automation;
using M365.Core;
using M365.Core.Connections;
using M365.Core.Services.Graph;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets Microsoft Graph service principals: by app id, object id or display name, with a raw OData filter, or all of them.</para>
/// <para type="description">One request per single lookup; many lookups (piped or in an array) go in Graph batches of 20, output in input order. The list streams page by page.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365AadSp", DefaultParameterSetName = AppIdSet)]
[OutputType("M365.ServicePrincipal")]
public sealed class GetM365AadSpCommand : M365ConnectedCmdlet
{
    public const string AppIdSet = "AppId";
    public const string ObjectIdSet = "ObjectId";
    public const string DisplayNameSet = "DisplayName";
    public const string FilterSet = "Filter";

    private readonly List<ServicePrincipalLookup> _pending = new(GraphBatchSender.MaxRequestsPerBatch);
    private Connection? _pendingConnection;

    /// <summary>Application (client) ids. Without any parameter, every service principal is listed.</summary>
    [Parameter(ParameterSetName = AppIdSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ClientId")]
    public Guid[]? AppId { get; set; }

    /// <summary>Object ids.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObjectIdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public Guid[]? ObjectId { get; set; }

    /// <summary>Display names; every match of each is written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DisplayNameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? DisplayName { get; set; }

    /// <summary>A raw OData $filter, e.g. "startswith(displayName,'Microsoft')".</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>The properties to return ($select), e.g. id, appId, displayName.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServicePrincipalPropertyCompleter))]
    public string[]? Property { get; set; }

    /// <summary>Sends one request per lookup instead of Graph batches of 20.</summary>
    [Parameter(ParameterSetName = AppIdSet)]
    [Parameter(ParameterSetName = ObjectIdSet)]
    public SwitchParameter NoBatch { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolvedConnection;
        switch (ParameterSetName)
        {
            case DisplayNameSet:
                foreach (var name in DisplayName!)
                {
                    Stream(name, connection, (client, ct) => client.GetByDisplayNameAsync(name, Property, ct));
                }

                break;
            case FilterSet:
                Stream(Filter, connection, (client, ct) => client.ListAsync(Filter, Property, ct));
                break;
            case AppIdSet when AppId is null:
                Stream(null, connection, (client, ct) => client.ListAsync(null, Property, ct));
                break;
            default:
                var lookups = ParameterSetName == AppIdSet
                    ? Array.ConvertAll(AppId!, ServicePrincipalLookup.ByAppId)
                    : Array.ConvertAll(ObjectId!, ServicePrincipalLookup.ById);
                foreach (var lookup in lookups)
                {
                    Enqueue(connection, lookup);
                }

                break;
        }
    }

    protected override void EndProcessing() => Flush();

    private void Enqueue(Connection connection, ServicePrincipalLookup lookup)
    {
        if (_pendingConnection is not null && !ReferenceEquals(connection, _pendingConnection))
        {
            Flush();
        }

        _pendingConnection = connection;
        _pending.Add(lookup);
        if (NoBatch || _pending.Count == GraphBatchSender.MaxRequestsPerBatch)
        {
            Flush();
        }
    }

    /// <summary>Looks the pending inputs up: one request for one input, else one Graph batch; results in input order.</summary>
    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var lookups = _pending.ToArray();
        var client = new ServicePrincipalClient(_pendingConnection!, VerboseSender(_pendingConnection!));
        _pending.Clear();
        if (lookups.Length == 1)
        {
            try
            {
                WriteObject(ServiceObjects.Tagged(Await(ct => client.GetAsync(lookups[0], Property, ct))));
            }
            catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
            {
                WriteInputError(ex, lookups[0].Value);
            }

            return;
        }

        try
        {
            AwaitEach(ct => client.LookupAllAsync(lookups, Property, ct), result =>
            {
                if (result.IsSuccess)
                {
                    WriteObject(ServiceObjects.Tagged(result.Value!));
                }
                else
                {
                    WriteInputError(result.Error!, result.Lookup.Value);
                }
            });
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            // The batch failed as a whole (after the pipeline's retries): each of its inputs failed.
            foreach (var lookup in lookups)
            {
                WriteInputError(ex, lookup.Value);
            }
        }
    }

    /// <summary>Writes each service principal of a listing as its page arrives; the next page is asked for only when the pipeline wants more.</summary>
    private void Stream(object? target, Connection connection, Func<ServicePrincipalClient, System.Threading.CancellationToken, IAsyncEnumerable<M365.Core.Services.Graph.ServicePrincipal>> list)
    {
        // An item that is not an object is one error (ResponseItemInvalid); the listing goes on. Posted: it is found on the
        // thread that read the page.
        var client = new ServicePrincipalClient(connection, VerboseSender(connection)) { InvalidItem = ex => Post(() => WriteInputError(ex, target)) };
        try
        {
            AwaitEach(ct => list(client, ct), sp => WriteObject(ServiceObjects.Tagged(sp)));
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            WriteInputError(ex, target);
        }
    }
}
