using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes -Name with the connections of this session.</summary>
public sealed class ConnectionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(SessionConnections.ForCurrentRunspace().All.Select(c => c.Name), wordToComplete);
}
