using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using M365.Core.Authentication.Persistence;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes -Name with the connections of this session and the persisted sign-ins (-PersistLogin).</summary>
public sealed class ConnectionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(
            SessionConnections.ForCurrentRunspace().All.Select(c => c.Name)
                .Concat(PersistedConnections.List(TokenCacheLocation.Options()).Select(c => c.Name)),
            wordToComplete);
}
