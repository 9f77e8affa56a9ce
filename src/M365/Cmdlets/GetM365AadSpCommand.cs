using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using M365.Core;
using M365.Core.Connections;
using M365.Core.Services.Graph;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets Microsoft Graph service principals: by app id, object id or display name, with a raw OData filter, or all of them.</para>
/// <para type="description">One request per single lookup; many lookups (piped or in an array) go in Graph batches of 20, a few batches at a time, output in input order as the results arrive. The list streams page by page.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365AadSp", DefaultParameterSetName = AppIdSet)]
[OutputType("M365.ServicePrincipal")]
public sealed class GetM365AadSpCommand : M365ConnectedCmdlet
{
    public const string AppIdSet = "AppId";
    public const string ObjectIdSet = "ObjectId";
    public const string DisplayNameSet = "DisplayName";
    public const string FilterSet = "Filter";
    public const string ListSet = "List";

    private ServicePrincipalLookup? _single;
    private ServicePrincipalLookups? _window;
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

    /// <summary>Stops after this many service principals, asking Graph only for what that needs ($top=min(n, 999), no further page).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = DisplayNameSet)]
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateRange(1, int.MaxValue)]
    [Alias("First")]
    public int Top { get; set; }

    /// <summary>A search ($search with ConsistencyLevel: eventual): a term is searched in displayName by word prefix; 'property:term' searches another property.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string? Search { get; set; }

    /// <summary>The order ($orderby), e.g. 'displayName desc'. With -Filter, -DisplayName or -Search it is an advanced query (ConsistencyLevel: eventual and $count=true are sent).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = DisplayNameSet)]
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServicePrincipalSortCompleter))]
    [Alias("OrderBy")]
    public string[]? Sort { get; set; }

    /// <summary>The name of a variable (no $) that receives Graph's total count of matches ($count=true, ConsistencyLevel: eventual), set in the caller's scope.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = DisplayNameSet)]
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string? CountVariable { get; set; }

    /// <summary>Navigation properties to expand ($expand), e.g. appRoleAssignedTo; each comes as an entry of AdditionalProperties.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = DisplayNameSet)]
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServicePrincipalExpandCompleter))]
    [Alias("Expand")]
    public string[]? ExpandProperty { get; set; }

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
                    Stream(name, connection, (client, ct) => client.GetByDisplayNameAsync(name, Property, Query(), CountSink(), ct));
                }

                break;
            case FilterSet:
                Stream(Filter, connection, (client, ct) => client.ListAsync(Filter, Property, Query(), CountSink(), ct));
                break;
            case ListSet:
            case AppIdSet when AppId is null:
                Stream(null, connection, (client, ct) => client.ListAsync(null, Property, Query(), CountSink(), ct));
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

    private ServicePrincipalQuery Query() => new()
    {
        Top = Top > 0 ? Top : null,
        Search = Search,
        Sort = Sort ?? Array.Empty<string>(),
        Expand = ExpandProperty ?? Array.Empty<string>(),
        Count = CountVariable is not null,
    };

    // Graph's count arrives with the first page, on the thread that reads it: set in the caller's scope from the pipeline thread.
    private Action<long>? CountSink() =>
        CountVariable is null ? null : count => Post(() => SessionState.PSVariable.Set(CountVariable, count <= int.MaxValue ? (object)(int)count : count));

    private void Enqueue(Connection connection, ServicePrincipalLookup lookup)
    {
        if (_pendingConnection is not null && !ReferenceEquals(connection, _pendingConnection))
        {
            Flush();
        }

        _pendingConnection = connection;
        if (NoBatch)
        {
            LookUpOne(lookup);
        }
        else if (_window is null && _single is null)
        {
            // A lone input is one direct request; a second one opens the window of batches.
            _single = lookup;
        }
        else
        {
            InWindow(lookup, window =>
            {
                if (_single is not null)
                {
                    Add(window, _single);
                    _single = null;
                }

                Add(window, lookup);
            });
        }
    }

    /// <summary>Adds a lookup as soon as the window has room, writing the results that are ready meanwhile, in input order.</summary>
    private void Add(ServicePrincipalLookups window, ServicePrincipalLookup lookup)
    {
        while (!window.TryAdd(lookup))
        {
            if (!WriteReady(window))
            {
                Await(window.WaitAsync);
            }
        }

        WriteReady(window);
    }

    private bool WriteReady(ServicePrincipalLookups window)
    {
        var any = false;
        while (window.TryTake(out var result))
        {
            Write(result);
            any = true;
        }

        return any;
    }

    private void Write(ServicePrincipalResult result)
    {
        if (result.IsSuccess)
        {
            WriteObject(ServiceObjects.Tagged(result.Value!));
        }
        else
        {
            WriteInputError(result.Error!, result.Lookup.Value);
        }
    }

    /// <summary>Sends what is pending and writes every result: the lone input as one request, the window's last batches.</summary>
    private void Flush()
    {
        if (_single is not null)
        {
            var single = _single;
            _single = null;
            LookUpOne(single);
        }

        if (_window is not null)
        {
            InWindow(null, window => AwaitEach(window.ReadRemainingAsync, Write));
            _window?.Dispose();
            _window = null;
        }
    }

    /// <summary>
    /// Runs work on the window (opened on first use, for the pending connection). When nothing more can be sent (no token,
    /// Ctrl+C), each input still waiting gets that error; when the pipeline stops, the batches in flight are cancelled.
    /// </summary>
    private void InWindow(ServicePrincipalLookup? adding, Action<ServicePrincipalLookups> work)
    {
        try
        {
            // Opened inside Await, so the batches' verbose lines from other threads queue for the pipeline thread.
            _window ??= Await(ct => Task.FromResult(new ServicePrincipalClient(_pendingConnection!, VerboseSender(_pendingConnection!)).OpenLookups(Property, ct)));
            work(_window);
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            var waiting = new List<ServicePrincipalLookup>(_window?.Pending ?? []);
            foreach (var lookup in new[] { _single, adding })
            {
                if (lookup is not null && !waiting.Contains(lookup))
                {
                    waiting.Add(lookup);
                }
            }

            _single = null;
            _window?.Dispose();
            _window = null;
            foreach (var lookup in waiting)
            {
                WriteInputError(ex, lookup.Value);
            }
        }
        catch
        {
            _window?.Dispose();
            _window = null;
            throw;
        }
    }

    private void LookUpOne(ServicePrincipalLookup lookup)
    {
        var client = new ServicePrincipalClient(_pendingConnection!, VerboseSender(_pendingConnection!));
        try
        {
            WriteObject(ServiceObjects.Tagged(Await(ct => client.GetAsync(lookup, Property, ct))));
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            WriteInputError(ex, lookup.Value);
        }
    }

    /// <summary>Writes each service principal of a listing as its page arrives; the next page is asked for only when the pipeline wants more.</summary>
    private void Stream(object? target, Connection connection, Func<ServicePrincipalClient, System.Threading.CancellationToken, IAsyncEnumerable<M365.Core.Services.Graph.ServicePrincipal>> list)
    {
        // An item that is not an object is one error (ResponseItemInvalid); the listing goes on. Posted: it is found on the
        // thread that read the page.
        var client = new ServicePrincipalClient(connection, VerboseSender(connection)) { InvalidItem = ex => Post(() => WriteInputError(ex, target)), NewObject = () => new M365.ServicePrincipal() };
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
