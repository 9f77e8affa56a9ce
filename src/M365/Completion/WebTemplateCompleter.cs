using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes Add-M365SpoSite -WebTemplate with the templates SharePoint Online creates site collections from.</summary>
public sealed class WebTemplateCompleter : IArgumentCompleter
{
    internal static readonly IReadOnlyList<KeyValuePair<string, string>> Templates = new[]
    {
        Pair("STS#0", "Team site (classic experience); the default"),
        Pair("STS#3", "Team site without a Microsoft 365 group (modern)"),
        Pair("STS#1", "Blank site"),
        Pair("SITEPAGEPUBLISHING#0", "Communication site"),
        Pair("GROUP#0", "Team site of a Microsoft 365 group"),
        Pair("BDR#0", "Document Center"),
        Pair("DEV#0", "Developer Site"),
        Pair("OFFILE#1", "Records Center"),
        Pair("EHS#1", "Team site, SharePoint Online configuration"),
        Pair("BICenterSite#0", "Business Intelligence Center"),
        Pair("SRCHCEN#0", "Enterprise Search Center"),
        Pair("SRCHCENTERLITE#0", "Basic Search Center"),
        Pair("BLANKINTERNETCONTAINER#0", "Publishing Portal"),
        Pair("ENTERWIKI#0", "Enterprise Wiki"),
        Pair("PROJECTSITE#0", "Project Site"),
        Pair("PRODUCTCATALOG#0", "Product Catalog"),
        Pair("COMMUNITY#0", "Community Site"),
        Pair("COMMUNITYPORTAL#0", "Community Portal"),
        Pair("visprus#0", "Visio Process Repository"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Templates, wordToComplete);

    private static KeyValuePair<string, string> Pair(string template, string name) => new(template, name);
}
