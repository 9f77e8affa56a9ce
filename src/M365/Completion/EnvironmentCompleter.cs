using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using M365.Core.Clouds;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes -Environment with the clouds M365 knows.</summary>
public sealed class EnvironmentCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(CloudEnvironment.All.Select(c => c.Name), wordToComplete);
}
