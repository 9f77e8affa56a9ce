using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading.Tasks;
using M365.Core;
using M365.Core.Connections;
using M365.Core.Services.SharePoint;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Creates SharePoint sites: team sites (with a Microsoft 365 group), communication sites and classic sites.</para>
/// <para type="description">Applies the CLI for Microsoft 365's rules before any request, never creates a site twice, and with -Wait waits for every piped site together.</para>
/// </summary>
[Cmdlet(VerbsCommon.Add, "M365SpoSite", DefaultParameterSetName = CommunicationSiteSet, SupportsShouldProcess = true)]
[OutputType("M365.SpoSite")]
public sealed class AddM365SpoSiteCommand : M365ConnectedCmdlet
{
    public const string TeamSiteSet = "TeamSite";
    public const string CommunicationSiteSet = "CommunicationSite";
    public const string ClassicSiteSet = "ClassicSite";
    public const string InputObjectSet = "InputObject";
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    // Read by StopProcessing from the thread that stops the pipeline.
    private readonly ConcurrentDictionary<Connection, (SiteCreationClient Client, SiteProvisioningTracker Tracker)> _waits = new();
    private readonly Stopwatch _sincePoll = Stopwatch.StartNew();
    private readonly Stopwatch _sinceFirst = new();
    private int _submitted;
    private int _ended;
    private volatile string? _sending;

    [Parameter(Mandatory = true, ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public SiteType Type { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public string Title { get; set; } = string.Empty;

    /// <summary>
    /// A site as a row (Import-Csv, a PSCustomObject or a hashtable) whose Type column says which kind it is, so one file
    /// can mix kinds; -Description, -Lcid and -Owners on the command line fill the cells a row leaves empty.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    public string? Alias { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public string? Url { get; set; }

    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public string? Description { get; set; }

    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    public string? Classification { get; set; }

    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [TextSwitchTransformation]
    public SwitchParameter IsPublic { get; set; }

    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [ArgumentCompleter(typeof(SiteLanguageCompleter))]
    public int? Lcid { get; set; }

    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [Alias("Owner")]
    public string[]? Owners { get; set; }

    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    public SiteDesign? SiteDesign { get; set; }

    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    public Guid? SiteDesignId { get; set; }

    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [TextSwitchTransformation]
    public SwitchParameter ShareByEmailEnabled { get; set; }

    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SiteTimeZoneCompleter))]
    public int? TimeZone { get; set; }

    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WebTemplateCompleter))]
    public string? WebTemplate { get; set; }

    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public double? ResourceQuota { get; set; }

    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public double? ResourceQuotaWarningLevel { get; set; }

    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public long? StorageQuota { get; set; }

    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public long? StorageQuotaWarningLevel { get; set; }

    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    [TextSwitchTransformation]
    public SwitchParameter RemoveDeletedSite { get; set; }

    /// <summary>The hub site (its site id) to associate each site with, once the site is ready (POST {site}/_api/site/JoinHubSite); a site still provisioning is waited for first.</summary>
    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ClassicSiteSet, ValueFromPipelineByPropertyName = true)]
    public Guid? HubSiteId { get; set; }

    /// <summary>The id of the sensitivity label to apply at creation (SPSiteManager's SensitivityLabel; a team site's SensitivityLabel creation option).</summary>
    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = CommunicationSiteSet, ValueFromPipelineByPropertyName = true)]
    public Guid? SensitivityLabel { get; set; }

    /// <summary>The multi-geo location to create a team site in (GroupSiteManager's PreferredDataLocation), a three-letter code such as EUR, NAM or APC.</summary>
    [Parameter(ParameterSetName = TeamSiteSet, ValueFromPipelineByPropertyName = true)]
    public string? PreferredDataLocation { get; set; }

    /// <summary>Waits until each site is ready (or failed, or -Timeout passed for it) and writes it then.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void BeginProcessing()
    {
        if (!Wait)
        {
            base.BeginProcessing();
            return;
        }

        // With -Wait, -Timeout bounds each site's wait from its submission (sites are waited for together), not the whole call.
        var perSite = Timeout;
        Timeout = 0;
        base.BeginProcessing();
        Timeout = perSite;
    }

    protected override void ProcessRecord()
    {
        SiteCreationRequest request;
        string? target = null;
        try
        {
            request = ParameterSetName == InputObjectSet
                ? SiteRow.Read(InputObject!, new SiteRow.Defaults { Description = Description, Lcid = Lcid, Owners = Owners })
                : Request();
            target = request.Key.Length > 0 ? request.Key : request.Title;
            request.ThrowIfInvalid();
        }
        catch (M365Exception ex)
        {
            WriteInputError(ex, (object?)target ?? InputObject);
            return;
        }

        if (ShouldProcess(target, $"Create the {request.Type}"))
        {
            _sending = request.Type == SpoSiteType.TeamSite ? "the team site " + request.Alias : request.Url;
            try
            {
                Submit(request, target!);
            }
            finally
            {
                _sending = null;
            }
        }

        if (_sincePoll.Elapsed >= PollInterval)
        {
            PollRound();
        }
    }

    protected override void EndProcessing()
    {
        // Bounded: every pending site ends by its own deadline.
        while (_waits.Values.Sum(w => w.Tracker.PendingCount) > 0)
        {
            Await(async ct =>
            {
                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
                return true;
            });
            PollRound();
        }

        if (_submitted > 0)
        {
            WriteProgress(new ProgressRecord(1, "Add-M365SpoSite", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>
    /// Ctrl+C (or a stopped pipeline) leaves SharePoint provisioning what was submitted: say which sites, and how to check
    /// them, before the sites are lost from view. The pipeline takes no more writes once it is stopping, so this goes to the
    /// host, from the thread that stops it.
    /// </summary>
    protected override void StopProcessing()
    {
        var pending = _waits.Values.SelectMany(w => w.Tracker.Pending).Select(s => s.Url).ToList();
        var message = SiteWaitProgress.Stopped(pending, _sending);
        base.StopProcessing();
        if (message is null)
        {
            return;
        }

        try
        {
            // A bare runspace's default host has no UI: there is nowhere to show it, and the sites stay findable.
            Host?.UI?.WriteWarningLine(message);
        }
        catch (Exception ex) when (ex is HostException || ex is NotImplementedException)
        {
            // The host cannot show a line now, and a stopping pipeline takes no write: the sites are still in SharePoint,
            // and Get-M365SpoSite finds them.
        }
    }

    private void Submit(SiteCreationRequest request, string target)
    {
        var connection = ResolvedConnection;
        if (!_waits.TryGetValue(connection, out var wait))
        {
            var client = new SiteCreationClient(connection, VerboseSender(connection)) { PollInterval = PollInterval };
            wait = (client, new SiteProvisioningTracker(client, Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : DefaultWait));
            _waits[connection] = wait;
        }

        try
        {
            var site = Await(ct => wait.Client.SubmitAsync(request, ct));
            // A hub is joined once the site is ready, so a site still provisioning is waited for even without -Wait.
            if ((!Wait && request.HubSiteId is null) || site.Status == SpoSiteStatus.Ready)
            {
                WriteObject(ServiceObjects.Tagged(site));
                return;
            }

            wait.Tracker.Add(site);
            if (_submitted++ == 0)
            {
                _sinceFirst.Start();
            }

            Progress();
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            WriteInputError(ex, target);
        }
    }

    /// <summary>Polls every site still provisioning once and writes those whose wait ended.</summary>
    private void PollRound()
    {
        _sincePoll.Restart();
        foreach (var (_, tracker) in _waits.Values.Where(w => w.Tracker.PendingCount > 0).ToList())
        {
            foreach (var result in Await(ct => tracker.PollAsync(ct)))
            {
                _ended++;
                if (result.IsSuccess)
                {
                    WriteObject(ServiceObjects.Tagged(result.Site));
                }
                else
                {
                    WriteInputError(result.Error!, result.Site.Url);
                }
            }
        }

        Progress();
    }

    private void Progress()
    {
        if (_submitted > 0)
        {
            var waiting = _waits.Values.SelectMany(w => w.Tracker.Pending).Select(s => s.Url).ToList();
            var progress = new SiteWaitProgress(_ended, _submitted, waiting, _sinceFirst.Elapsed);
            WriteProgress(new ProgressRecord(1, "Add-M365SpoSite", progress.Status)
            {
                PercentComplete = progress.PercentComplete,
                CurrentOperation = progress.Waiting,
            });
        }
    }

    private SiteCreationRequest Request()
    {
        static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        return new SiteCreationRequest((SpoSiteType)Enum.Parse(typeof(SpoSiteType), Type.ToString()))
        {
            Title = Given(Title),
            Alias = Given(Alias),
            Url = Given(Url),
            Description = Given(Description),
            Classification = Given(Classification),
            IsPublic = IsPublic ? true : null,
            Lcid = Lcid,
            Owners = (Owners ?? Array.Empty<string>()).Where(o => !string.IsNullOrWhiteSpace(o)).ToList(),
            SiteDesign = SiteDesign is { } design ? (CommunicationSiteDesign)Enum.Parse(typeof(CommunicationSiteDesign), design.ToString()) : null,
            SiteDesignId = SiteDesignId,
            ShareByEmailEnabled = ShareByEmailEnabled ? true : null,
            TimeZone = TimeZone,
            WebTemplate = Given(WebTemplate),
            ResourceQuota = ResourceQuota,
            ResourceQuotaWarningLevel = ResourceQuotaWarningLevel,
            StorageQuota = StorageQuota,
            StorageQuotaWarningLevel = StorageQuotaWarningLevel,
            RemoveDeletedSite = RemoveDeletedSite,
            HubSiteId = HubSiteId,
            SensitivityLabel = SensitivityLabel,
            PreferredDataLocation = Given(PreferredDataLocation),
        };
    }
}
