using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using M365.Core.Resources;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Completes -Resource with the resource names (Graph, SharePoint, SharePointAdmin, …). App ID URIs and app ids are the
/// caller's own and are typed as they are (they are accepted, not completed).
/// </summary>
public sealed class ResourceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(ResourceResolver.ResourceNames, wordToComplete);
}
